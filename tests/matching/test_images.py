"""Perceptual hashes of re-posted images (resized, re-compressed, cropped a little) and the Hamming-distance index."""

from __future__ import annotations

import io
import struct
import time
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from khaojing.matching.images import (
    DEFAULT_MAX_DISTANCE,
    ImageHashError,
    ImageHashIndex,
    hamming,
    phash,
    phash_variants,
)

FONT = Path("/usr/share/fonts/truetype/tlwg/Loma.ttf")
HEADLINES = ["กรุงไทยเปิดให้จองสิทธิ์ยืมเงิน 100,000 บาท", "เตือน 9 จังหวัดภาคกลางมีฝนตกหนัก",
             "ออมสินเปิดสินเชื่อผ่านเพจปลอม", "ผู้ป่วยโรคฝีดาษลดน้อยลงในปี 2568", "ขนส่งฯ เปิดรับทำใบขับขี่ออนไลน์",
             "กยศ. เร่งคืนเงินให้ผู้กู้ยืม", "ควันและนิโคตินภัยจากบุหรี่ไฟฟ้า", "5 สัญญาณเงียบเตือนภาวะความดันสูง"]


def news_card(seed: int, headline: str, width: int = 1080) -> Image.Image:
    """A share card like those forwarded on LINE: a picture over a Thai headline."""
    rng = np.random.default_rng(seed)
    picture = Image.fromarray((rng.random((12, 18, 3)) * 255).astype("uint8")).resize((width, 600), Image.BICUBIC)
    card = Image.new("RGB", (width, 900), "white")
    card.paste(picture, (0, 0))
    font = ImageFont.truetype(str(FONT), 44) if FONT.is_file() else ImageFont.load_default()
    ImageDraw.Draw(card).text((40, 680), headline, font=font, fill=(20, 20, 20))
    return card


def encode(img: Image.Image, fmt: str = "PNG", **options: object) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt, **options)
    return buf.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares width x height pixels but carries almost no data (a decompression bomb's header)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0")) + chunk(b"IEND", b"")


def crops(img: Image.Image, fraction: float) -> dict[str, Image.Image]:
    w, h = img.size
    dx, dy = int(w * fraction), int(h * fraction)
    return {"top-left": img.crop((dx, dy, w, h)), "bottom-right": img.crop((0, 0, w - dx, h - dy)),
            "all sides": img.crop((dx // 2, dy // 2, w - dx // 2, h - dy // 2)), "bottom": img.crop((0, 0, w, h - dy)),
            "left": img.crop((dx, 0, w, h))}


def test_phash_is_16_hex_characters() -> None:
    value = phash(encode(news_card(1, HEADLINES[0])))
    assert len(value) == 16 and int(value, 16) >= 0 and value == value.lower()


def test_resized_and_recompressed_copies_are_within_a_few_bits() -> None:
    for seed, headline in enumerate(HEADLINES):
        card = news_card(seed, headline)
        original = phash(encode(card))
        w, h = card.size
        copies = [encode(card.resize((w // 2, h // 2))), encode(card.resize((w // 3, h // 3)), "JPEG", quality=50),
                  encode(card, "JPEG", quality=30), encode(card, "JPEG", quality=85), encode(card, "WEBP", quality=60)]
        distances = [hamming(original, phash(copy)) for copy in copies]
        assert max(distances) <= 4, distances  # measured: 0–4


def test_copies_cropped_up_to_five_percent_match_one_of_the_indexed_variants() -> None:
    index = ImageHashIndex()
    for seed, headline in enumerate(HEADLINES):
        for variant in phash_variants(encode(news_card(seed, headline))):
            index.add(seed, variant)
    worst = 0
    for seed, headline in enumerate(HEADLINES):
        for fraction in (0.02, 0.05):
            for name, cropped in crops(news_card(seed, headline), fraction).items():
                found = index.query(phash(encode(cropped, "JPEG", quality=80)))
                assert found and found[0][0] == seed, (seed, fraction, name, found)
                worst = max(worst, found[0][1])
    assert worst <= DEFAULT_MAX_DISTANCE  # measured: at most 8 bits; one pHash alone moves up to 24


def test_a_different_image_does_not_match() -> None:
    index = ImageHashIndex()
    for seed, headline in enumerate(HEADLINES):
        for variant in phash_variants(encode(news_card(seed, headline))):
            index.add(seed, variant)
    for seed in range(100, 140):
        other = phash(encode(news_card(seed, HEADLINES[seed % len(HEADLINES)]), "JPEG", quality=80))
        assert index.query(other) == [], seed  # measured: different pictures are 12+ bits from every variant


def test_hamming() -> None:
    assert hamming("0000000000000000", "0000000000000000") == 0
    assert hamming("0000000000000000", "ffffffffffffffff") == 64
    assert hamming("8000000000000001", "0000000000000000") == 2
    for bad in ("", "123", "zzzzzzzzzzzzzzzz", "0" * 17):
        with pytest.raises(ValueError):
            hamming(bad, "0" * 16)


def test_index_add_remove_query() -> None:
    index = ImageHashIndex()
    index.add("a", "0000000000000000")
    index.add("a", "00000000000000ff")
    index.add("b", "0000000000000003")
    index.add("c", "ffffffffffffffff")
    assert len(index) == 4
    assert index.query("0000000000000001", max_distance=1) == [("a", 1), ("b", 1)]
    assert index.query("0000000000000000", max_distance=10) == [("a", 0), ("b", 2)]  # each claim once, nearest
    assert index.query("0000000000000000", max_distance=64, limit=1) == [("a", 0)]
    assert index.remove("a") == 2 and index.remove("a") == 0
    assert index.query("0000000000000000", max_distance=10) == [("b", 2)]
    assert list(index.distances("0000000000000000")) == [2, 64]
    index.remove("b")
    index.remove("c")
    assert len(index) == 0 and index.query("0000000000000000", max_distance=64) == []


def test_index_is_fast_enough_for_100k_hashes() -> None:
    rng = np.random.default_rng(7)
    index = ImageHashIndex()
    values = rng.integers(0, 2**63, size=100_000, dtype=np.int64)
    for i, value in enumerate(values):
        index.add(i, f"{int(value):016x}")
    target = f"{int(values[54_321]) ^ 0b101:016x}"  # 2 bits away from claim 54321
    started = time.perf_counter()
    for _ in range(20):
        found = index.query(target, max_distance=4)
    elapsed = (time.perf_counter() - started) / 20
    assert found[0] == (54_321, 2)
    assert elapsed < 0.05  # measured: ~0.2 ms per query


def test_bad_images_give_a_clear_error() -> None:
    for data in (b"", b"not an image", encode(news_card(1, "x"))[:200]):
        with pytest.raises(ImageHashError):
            phash(data)
    started = time.perf_counter()
    with pytest.raises(ImageHashError, match="pixels"):
        phash(png_header_only(20_000, 20_000))  # refused from its header, before any pixel is decoded
    assert time.perf_counter() - started < 2


def test_making_a_pdf_does_not_make_truncated_images_acceptable() -> None:
    from PIL import ImageFile

    from khaojing.web.pdf import html_to_pdf

    assert html_to_pdf("<p>ข่าวจริง</p>", base_url=".").startswith(b"%PDF")
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False  # weasyprint's import sets it True for the whole process
    with pytest.raises(ImageHashError):
        phash(encode(news_card(1, "x"))[:200])
