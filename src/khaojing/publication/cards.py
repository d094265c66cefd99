"""Share cards: PNG images of a verdict (1080×1080 for LINE/Instagram, 1200×630 for link previews), shaped with
raqm and the bundled Loma font, wrapped on Thai word boundaries, cached on disk by verdict id and version."""

from __future__ import annotations

import os
import tempfile
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from khaojing.publication.service import PublicVerdict
from khaojing.settings import Settings
from khaojing.thai.dates import format_datetime
from khaojing.thai.tokenize import segment

FONTS = Path(__file__).parent / "fonts"
INK, MUTED, PAPER, RULE = "#1a1f24", "#4a545e", "#ffffff", "#d5dbe1"
EXPLANATION_CHARS = 220
LEADING = tuple("\u0e40\u0e41\u0e42\u0e43\u0e44")  # เ แ โ ใ ไ are written before their consonant


@dataclass(frozen=True)
class Layout:
    width: int
    height: int
    band: int  # height of the label band
    label_size: int
    claim_size: int
    claim_lines: int
    text_size: int
    text_lines: int
    foot_size: int
    margin: int


SIZES = {
    "1080": Layout(1080, 1080, 200, 96, 52, 6, 34, 5, 30, 64),
    "1200x630": Layout(1200, 630, 130, 64, 44, 3, 28, 2, 24, 48),
}


@lru_cache(maxsize=32)
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "Loma-Bold.ttf" if bold else "Loma.ttf"
    return ImageFont.truetype(str(FONTS / name), size, layout_engine=ImageFont.Layout.RAQM)


def _breakable(text: str) -> list[str]:
    """Pieces a line may break between: Thai words (newmm), Latin words, spaces."""
    return [p for p in segment(text.replace("\n", " ")) if p]


def _split_long(piece: str, fnt: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """A word wider than the line is cut between characters, never before a combining mark."""
    parts, current = [], ""
    for ch in piece:
        mark = unicodedata.category(ch) == "Mn" or ch in "\u0e33\u0e30\u0e32\u0e45"  # marks, sara am, aa...
        if current and not mark and not current.endswith(LEADING) and fnt.getlength(current + ch) > width:
            parts.append(current)
            current = ch
        else:
            current += ch
    return [*parts, current] if current else parts


def wrap(text: str, fnt: ImageFont.FreeTypeFont, width: int, max_lines: int) -> list[str]:
    """Lines that fit `width`, broken on word boundaries; the last line ends with '…' when text was left out."""
    lines: list[str] = []
    current = ""
    pieces = _breakable(" ".join(text.split()))
    index = 0
    while index < len(pieces):
        piece = pieces[index]
        candidate = current + piece
        if fnt.getlength(candidate.rstrip()) <= width or not current.strip():
            if not current.strip() and fnt.getlength(piece) > width:
                head, *rest = _split_long(piece, fnt, width)
                pieces[index:index + 1] = [head, *rest]
                piece = head
            current = (current + piece).lstrip()
            index += 1
            continue
        lines.append(current.rstrip())
        current = ""
        if len(lines) == max_lines:
            break
    if current.strip() and len(lines) < max_lines:
        lines.append(current.rstrip())
    elif index < len(pieces) and lines:
        words = _breakable(lines[-1])  # drop whole words, so no mark is cut from its consonant
        while len(words) > 1 and fnt.getlength("".join(words).rstrip() + "…") > width:
            words.pop()
        lines[-1] = "".join(words).rstrip() + "…"
    return lines


def _short(text: str, limit: int = EXPLANATION_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rstrip() + "…"


def render(view: PublicVerdict, size: str, *, settings: Settings) -> Image.Image:
    lay = SIZES[size]
    image = Image.new("RGB", (lay.width, lay.height), PAPER)
    draw = ImageDraw.Draw(image)
    inner = lay.width - 2 * lay.margin
    # the label band in the label's colour
    draw.rectangle((0, 0, lay.width, lay.band), fill=view.colour)
    label_font = font(lay.label_size, bold=True)
    draw.text((lay.margin, lay.band // 2), view.label_th, font=label_font, fill="#ffffff", anchor="lm")
    center_font = font(lay.foot_size, bold=True)
    draw.text((lay.width - lay.margin, lay.band // 2), settings.center_name_th, font=center_font, fill="#ffffff",
              anchor="rm")
    claim_font, text_font, foot_font = font(lay.claim_size, bold=True), font(lay.text_size), font(lay.foot_size)
    claim_lines = wrap(view.headline or view.claim_text, claim_font, inner, lay.claim_lines)
    text_lines = wrap(_short(view.explanation), text_font, inner, lay.text_lines)
    claim_step, text_step = int(lay.claim_size * 1.55), int(lay.text_size * 1.6)
    foot_y = lay.height - lay.margin - lay.foot_size
    block = len(claim_lines) * claim_step + int(lay.text_size * 0.5) + len(text_lines) * text_step
    top, bottom = lay.band + int(lay.margin * 0.6), foot_y - lay.foot_size - int(lay.margin * 0.4)
    y = top + max(0, (bottom - top - block) // 3)  # a little above the middle of the free space
    for line in claim_lines:
        draw.text((lay.margin, y), line, font=claim_font, fill=INK)
        y += claim_step
    y += int(lay.text_size * 0.5)
    for line in text_lines:
        draw.text((lay.margin, y), line, font=text_font, fill=MUTED)
        y += text_step
    # footer: agency, date (Buddhist era), center
    draw.line((lay.margin, foot_y - lay.foot_size, lay.width - lay.margin, foot_y - lay.foot_size), fill=RULE,
              width=2)
    date = format_datetime(view.published_at, "th", settings.timezone, with_time=False)
    agency = view.agency("th")
    left = f"ตรวจสอบโดย {agency}" if agency else settings.center_name_th
    draw.text((lay.margin, foot_y), wrap(left, foot_font, int(inner * 0.68), 1)[0], font=foot_font, fill=INK)
    draw.text((lay.width - lay.margin, foot_y), date, font=foot_font, fill=INK, anchor="ra")
    return image


def cache_dir(settings: Settings) -> Path:
    return settings.data_dir / "cards"


def card_path(view: PublicVerdict, size: str, *, settings: Settings) -> Path:
    """The card file for this verdict version and size, rendered on first use (a correction gets a new file)."""
    path = cache_dir(settings) / f"verdict-{view.verdict_id}-v{view.version}-{size}.png"
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    image = render(view, size, settings=settings)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            image.save(out, "PNG", optimize=True)
        os.replace(tmp, path)  # atomic: a reader never sees half a file
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def prerender(view: PublicVerdict, *, settings: Settings) -> list[Path]:
    """Render this version's cards, and delete the cards of the versions it replaced."""
    paths = [card_path(view, size, settings=settings) for size in SIZES]
    for old in cache_dir(settings).glob(f"verdict-{view.verdict_id}-v*.png"):
        if old not in paths:
            old.unlink(missing_ok=True)
    return paths
