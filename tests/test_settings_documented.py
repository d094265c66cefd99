"""docs/administration/settings.md stays complete: every Settings field has a row (variable, default, meaning, when
to change it), no row names a setting that does not exist, and a simple default shown there is the real one."""

from __future__ import annotations

import re
from pathlib import Path

from khaojing.settings import Settings

DOC = Path(__file__).resolve().parents[1] / "docs" / "administration" / "settings.md"
VARIABLE = re.compile(r"`(KHAOJING_[A-Z0-9_]+)`")
HEADER = ["variable", "default", "meaning", "when to change it"]


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def documented_rows() -> dict[str, list[str]]:
    """KHAOJING_NAME -> the cells of its row, from every settings table of the page."""
    rows: dict[str, list[str]] = {}
    header: list[str] | None = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if not line.startswith("|"):
            header = None
            continue
        cells = _cells(line)
        if header is None:
            header = [cell.lower() for cell in cells]
            continue
        if set("".join(cells)) <= set("-: ") or header != HEADER:
            continue
        for name in VARIABLE.findall(cells[0]):
            assert name not in rows, f"{name} has two rows in {DOC.name}"
            rows[name] = cells
    return rows


def _shown_default(cell: str) -> str | None:
    match = re.match(r"\s*`([^`]*)`", cell)
    return match.group(1) if match else None


def test_every_setting_has_a_row_and_every_row_is_a_setting() -> None:
    rows = documented_rows()
    fields = {f"KHAOJING_{name.upper()}" for name in Settings.model_fields}
    missing = sorted(fields - set(rows))
    assert not missing, f"add a row to {DOC} (variable | default | meaning | when to change it) for: {missing}"
    stale = sorted(set(rows) - fields)
    assert not stale, f"{DOC.name} documents settings that src/khaojing/settings.py does not have: {stale}"


def test_every_row_says_what_it_means_and_when_to_change_it() -> None:
    for name, cells in documented_rows().items():
        assert len(cells) == 4, f"{name}: a row has 4 cells, not {len(cells)}"
        assert all(cells[1:]), f"{name}: default, meaning and when to change it must not be empty"


def test_simple_defaults_shown_are_the_real_ones() -> None:
    rows = documented_rows()
    wrong = []
    for name, field in Settings.model_fields.items():
        default = field.default
        row = rows.get(f"KHAOJING_{name.upper()}")  # a missing row fails the completeness test above
        if row is not None and isinstance(default, bool | int | float | str):
            shown = _shown_default(row[1])
            if shown is None:
                wrong.append(f"KHAOJING_{name.upper()}: default cell should start with `{default}`")
                continue
            if isinstance(default, bool):
                same = shown.lower() == str(default).lower()
            elif isinstance(default, int | float):
                try:
                    same = float(shown.replace(",", "").replace("_", "")) == float(default)
                except ValueError:
                    same = False
            else:
                same = shown == default or (default == "" and shown in ('""', "''"))
            if not same:
                wrong.append(f"KHAOJING_{name.upper()}: shown `{shown}`, real {default!r}")
    assert not wrong, f"fix the default column of {DOC.name}: {wrong}"


def test_the_check_catches_a_missing_row(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    """The completeness check itself works: a page without one of the rows fails it."""
    text = DOC.read_text(encoding="utf-8")
    cut = "\n".join(line for line in text.splitlines() if "`KHAOJING_PORT`" not in line)
    copy = tmp_path / "settings.md"
    copy.write_text(cut, encoding="utf-8")
    monkeypatch.setitem(globals(), "DOC", copy)
    assert "KHAOJING_PORT" not in documented_rows() and "KHAOJING_HOST" in documented_rows()
