"""The docs screenshots of the LINE bubble, the carousel and /check, taken in headless Chromium, look right.

Runs scripts/docs_screenshots_line.py's functions into the test's folder (KHAOJING_DOCS_IMAGES=1: into docs/images)
and checks the verdict colours where LINE would show them: fake red, distorted orange, true green.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "scripts"))

import docs_screenshots_line as shots  # noqa: E402

pytestmark = pytest.mark.browser
RED, ORANGE, GREEN = (0xC6, 0x28, 0x28), (0xE6, 0x51, 0x00), (0x2E, 0x7D, 0x32)


def near(pixel: tuple[int, ...], colour: tuple[int, int, int], tolerance: int = 8) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], colour, strict=True))


def test_screenshots_show_the_verdict_colours(env, browser, live_url, tmp_path) -> None:  # noqa: ANN001
    out = ROOT / "docs" / "images" if os.environ.get("KHAOJING_DOCS_IMAGES") == "1" else tmp_path
    ids = shots.seed(env.db, env.settings)
    paths = shots.shoot(browser, live_url, ids, out)
    bubble = Image.open(paths["bubble"]).convert("RGB")
    assert 300 <= bubble.width <= 520 and near(bubble.getpixel((40, 30)), RED)
    carousel = Image.open(paths["carousel"]).convert("RGB")
    tops = [carousel.getpixel((x, 30)) for x in (40, 40 + 268, 40 + 2 * 268)]  # kilo bubbles: 260 px + 8 px gap
    assert near(tops[0], RED) and near(tops[1], ORANGE) and near(tops[2], GREEN), tops
    check = Image.open(paths["check"]).convert("RGB")
    reds = sum(1 for x in range(0, check.width, 10) for y in range(0, check.height, 10)
               if near(check.getpixel((x, y)), RED))
    assert reds > 50  # the red verdict band of the answer is there (an inline style would be blocked by CSP)
