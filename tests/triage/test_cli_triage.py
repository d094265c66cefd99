"""`khaojing triage retrain` (base data + analysts' corrections) and `khaojing triage screen`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from triage_helpers import needs_shared_data

from khaojing.claims.models import Claim
from khaojing.db.session import Database
from khaojing.triage import linear


def _claims(db: Database) -> None:
    with db.unit_of_work() as session:
        session.add_all([
            Claim(title="ทหารแจกข้าวสารให้ชาวบ้านที่อพยพ", topic="policy", topic_source="analyst"),
            Claim(title="แอปเงินกู้ของกองทัพ ให้ทหารกู้ได้ 1 ล้านบาท", topic="finance", topic_source="analyst"),
            Claim(title="หัวข้อที่ศูนย์ไม่มีหมวดหมู่นี้", topic="weather", topic_source="analyst"),  # unknown topic
            Claim(title="ข่าวที่โมเดลจัดหมวดหมู่เอง", topic="health", topic_source="model"),  # not a correction
        ])


@pytest.mark.shared_data
@needs_shared_data
def test_retrain_from_corrections_writes_a_new_versioned_model(triage_cli, db: Database, tmp_path: Path) -> None:  # noqa: ANN001
    _claims(db)
    out = tmp_path / "models"
    result = triage_cli("triage", "retrain", "--from-corrections", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "before: topics-" in result.output and "after : topics-" in result.output
    assert "3 read, 2 used" in result.output
    model = linear.load(out, "topics")
    corrections = [s for s in model.meta["training"]["sources"] if s["name"] == "analyst-corrections"]
    assert corrections and corrections[0]["rows"] == 2
    assert model.version in result.output
    plain = triage_cli("triage", "retrain", "--out", str(tmp_path / "plain"))
    assert plain.exit_code == 0, plain.output
    assert linear.load(tmp_path / "plain", "topics").version != model.version


def test_retrain_without_the_base_data_fails_clearly(triage_cli, tmp_path: Path) -> None:  # noqa: ANN001
    result = triage_cli("triage", "retrain", "--data-dir", str(tmp_path / "nothing"), "--out", str(tmp_path / "m"))
    assert result.exit_code == 1
    assert "missing" in result.output and "Traceback" not in result.output


def test_screen_command_prints_json(triage_cli) -> None:  # noqa: ANN001
    result = triage_cli("triage", "screen", "ลงทุน 1,000 ได้กำไร 30% ต่อวัน ทักไลน์")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["is_claim"] and data["topic"] == "finance" and data["harm_property"] >= 0.7
    assert {r["key"] for r in data["harm_reasons"]} >= {"return_per_period", "investment"}
