"""The rich menu: four tiles (check a message, latest fake news, how to report, notifications), drawn with Pillow.

Thai labels need a font with Thai glyphs and Latin (Debian fonts-thai-tlwg: Garuda, Loma) and complex text
shaping (Pillow's raqm layout) so that vowels and tone marks sit in the right place.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, features

from khaojing.channels.line.flex import postback, postback_data, t

log = logging.getLogger(__name__)

WIDTH, HEIGHT = 2500, 843  # LINE's compact size (width 800-2500, height >= 250, width/height >= 1.45)
MAX_BYTES = 1024 * 1024  # LINE's limit for a rich menu image
PADDING = 40
TILES = (("check", "#1565C0"), ("latest", "#C62828"), ("howto", "#2E7D32"), ("notify", "#455A64"))
FONT_DIRS = (Path("/usr/share/fonts/truetype/tlwg"), Path("/usr/share/fonts/truetype/thai"),
             Path("/usr/local/share/fonts"))
BOLD_FONTS = ("Garuda-Bold.ttf", "Loma-Bold.ttf", "Garuda.ttf", "Loma.ttf")
REGULAR_FONTS = ("Loma.ttf", "Garuda.ttf")


def find_font(names: tuple[str, ...]) -> Path | None:
    for directory in FONT_DIRS:
        for name in names:
            if (directory / name).is_file():
                return directory / name
    return None


def _font(names: tuple[str, ...], size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = find_font(names)
    if path is None:
        log.warning("no Thai font found (install Debian fonts-thai-tlwg): the rich menu labels will not render")
        return ImageFont.load_default(size)
    engine = ImageFont.Layout.RAQM if features.check("raqm") else ImageFont.Layout.BASIC
    if engine is ImageFont.Layout.BASIC:
        log.warning("Pillow has no raqm: Thai vowels and tone marks may be misplaced")
    return ImageFont.truetype(str(path), size, layout_engine=engine)


def _fitting(draw: ImageDraw.ImageDraw, names: tuple[str, ...], labels: list[str], room: float,
             size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """The largest font (from `size` down) in which every label fits the tile's width."""
    while True:
        font = _font(names, size)
        if size <= 24 or all(draw.textlength(label, font=font) <= room for label in labels):
            return font
        size -= 4


def menu_definition(name: str = "khaojing main menu") -> dict:
    """The RichMenuRequest: one tappable area per tile, each a postback like the quick replies."""
    width = WIDTH // len(TILES)
    areas = [{"bounds": {"x": i * width, "y": 0, "width": width if i < len(TILES) - 1 else WIDTH - i * width,
                         "height": HEIGHT},
              "action": postback(t(key, "th"), postback_data(key), t(key, "th"))}
             for i, (key, _colour) in enumerate(TILES)]
    return {"size": {"width": WIDTH, "height": HEIGHT}, "selected": True, "name": name[:300],
            "chatBarText": "เมนู / Menu", "areas": areas}


def menu_image() -> bytes:
    """The PNG of the menu: Thai label large, English below, on each tile's colour."""
    image = Image.new("RGB", (WIDTH, HEIGHT), "#FFFFFF")
    draw = ImageDraw.Draw(image)
    width = WIDTH // len(TILES)
    room = width - 2 * PADDING
    thai = _fitting(draw, BOLD_FONTS, [t(key, "th") for key, _ in TILES], room, 96)
    english = _fitting(draw, REGULAR_FONTS, [t(key, "en") for key, _ in TILES], room, 60)
    for i, (key, colour) in enumerate(TILES):
        left = i * width
        draw.rectangle((left + 12, 12, left + width - 12, HEIGHT - 12), fill=colour)
        centre = left + width / 2
        draw.text((centre, HEIGHT / 2 - 30), t(key, "th"), font=thai, fill="#FFFFFF", anchor="ms")
        draw.text((centre, HEIGHT / 2 + 80), t(key, "en"), font=english, fill="#FFFFFF", anchor="mm")
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    data = out.getvalue()
    if len(data) > MAX_BYTES:  # flat colours compress well; JPEG only as a fallback
        out = io.BytesIO()
        image.save(out, "JPEG", quality=85)
        data = out.getvalue()
    return data
