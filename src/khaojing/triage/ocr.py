"""OCR of report images (Thai + English) with Tesseract, bounded in pixels, image size and time."""

from __future__ import annotations

import io
import math
import os
import re
import tempfile
import warnings
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PIXELS = 80_000_000  # refused before decoding (a 20,000 x 20,000 PNG is a decompression bomb)
MAX_OCR_PIXELS = 12_000_000  # larger images are downscaled before OCR (a long phone scroll-capture still fits)
MIN_OCR_WIDTH = 1000  # narrower images are upscaled: Tesseract reads Thai marks better on larger glyphs
DEFAULT_TIMEOUT = 30.0  # seconds per image
TESSERACT_CONFIG = "--psm 6"
_LANGUAGES = re.compile(r"[a-z_]{3,20}(\+[a-z_]{3,20}){0,5}")


class OcrError(Exception):
    """OCR could not read this image; the message says why."""


class OcrUnavailable(OcrError):
    """Tesseract or its language data is not installed: callers skip OCR and carry on."""


class OcrBadImage(OcrError):
    """The bytes are not a decodable image, or the image has too many pixels."""


class OcrTimeout(OcrError):
    """Tesseract did not finish within the time limit."""


@dataclass(frozen=True)
class OcrResult:
    """The text read (Tesseract's lines), the mean word confidence (0–1) and the engine that read it."""

    text: str
    confidence: float
    engine_version: str


@lru_cache(maxsize=1)
def _tesseract_version() -> str:
    import pytesseract

    try:
        return str(pytesseract.get_tesseract_version()).split()[0]
    except (pytesseract.TesseractNotFoundError, OSError) as exc:
        raise OcrUnavailable("tesseract is not installed (Debian: apt-get install tesseract-ocr "
                             "tesseract-ocr-tha)") from exc


@lru_cache(maxsize=1)
def _installed_languages() -> frozenset[str]:
    import pytesseract

    try:
        return frozenset(pytesseract.get_languages(config=""))
    except (pytesseract.TesseractError, OSError) as exc:
        raise OcrUnavailable(f"cannot list tesseract languages: {exc}") from exc


def check_available(languages: str = "tha+eng") -> str:
    """The engine version string, or OcrUnavailable when tesseract or a language's data is missing."""
    if not _LANGUAGES.fullmatch(languages):
        raise ValueError(f"bad OCR language list {languages!r} (expected e.g. 'tha+eng')")
    version = _tesseract_version()
    missing = [lang for lang in languages.split("+") if lang not in _installed_languages()]
    if missing:
        raise OcrUnavailable(f"tesseract has no language data for {', '.join(missing)} "
                             f"(Debian: apt-get install {' '.join('tesseract-ocr-' + m for m in missing)})")
    return f"tesseract {version} {languages} {TESSERACT_CONFIG}"


def load_image(data: bytes, *, max_pixels: int = MAX_PIXELS) -> Image.Image:
    """Decode the first frame as greyscale on white, upright (EXIF), refusing bombs before any pixel is decoded."""
    if not data:
        raise OcrBadImage("the image is empty")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))
            width, height = img.size
            if width * height > max_pixels:
                raise OcrBadImage(f"the image has {width}x{height} pixels; the limit is {max_pixels:,}")
            img.seek(0)
            img.load()
            return _greyscale(ImageOps.exif_transpose(img))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise OcrBadImage(f"the image has too many pixels ({exc})") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise OcrBadImage(f"not a decodable image ({type(exc).__name__})") from exc


def _greyscale(img: Image.Image) -> Image.Image:
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        background = Image.new("RGBA", rgba.size, "white")
        img = Image.alpha_composite(background, rgba)
    return img.convert("L")


def fit_for_ocr(img: Image.Image, *, max_pixels: int = MAX_OCR_PIXELS, min_width: int = MIN_OCR_WIDTH) -> Image.Image:
    """Downscale huge images to max_pixels; upscale narrow ones (small text) to min_width, within max_pixels."""
    width, height = img.size
    scale = 1.0
    if width < min_width:
        scale = min_width / width
    if width * height * scale * scale > max_pixels:
        scale = math.sqrt(max_pixels / (width * height))
    if abs(scale - 1.0) < 0.01:
        return img
    size = (max(1, math.floor(width * scale)), max(1, math.floor(height * scale)))
    return img.resize(size, Image.Resampling.LANCZOS)


def _confidence(tsv: str) -> float:
    """Tesseract's word confidences (TSV output) averaged over characters, 0–1."""
    weighted, chars = 0.0, 0
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or not cells[11].strip():
            continue
        try:
            conf = float(cells[10])
        except ValueError:
            continue
        if conf >= 0:
            weighted += conf * len(cells[11].strip())
            chars += len(cells[11].strip())
    return weighted / chars / 100.0 if chars else 0.0


def _run_tesseract(img: Image.Image, languages: str, timeout: float) -> tuple[str, str]:
    """One Tesseract run writing both the plain text (Thai without spurious spaces) and the TSV (confidences)."""
    import pytesseract

    with tempfile.TemporaryDirectory(prefix="khaojing-ocr-") as tmp:
        source, base = os.path.join(tmp, "in.png"), os.path.join(tmp, "out")
        img.save(source, "PNG")
        try:
            pytesseract.pytesseract.run_tesseract(source, base, "txt", languages,
                                                  config=f"{TESSERACT_CONFIG} -c tessedit_create_tsv=1",
                                                  timeout=timeout)
        except RuntimeError as exc:  # pytesseract signals its timeout with a bare RuntimeError
            if "timeout" in str(exc).lower():
                raise OcrTimeout(f"OCR took longer than {timeout:g} s") from exc
            raise OcrError(f"tesseract failed: {exc}") from exc
        except (pytesseract.TesseractError, OSError) as exc:
            raise OcrError(f"tesseract failed: {exc}") from exc
        with open(base + ".txt", encoding="utf-8", errors="replace") as txt, \
                open(base + ".tsv", encoding="utf-8", errors="replace") as tsv:
            return txt.read(), tsv.read()


def ocr_image(data: bytes, *, languages: str = "tha+eng", timeout: float = DEFAULT_TIMEOUT,
              max_pixels: int = MAX_PIXELS) -> OcrResult:
    """Read the text of one image. Raises OcrUnavailable (no tesseract), OcrBadImage, OcrTimeout or OcrError."""
    engine = check_available(languages)
    img = fit_for_ocr(load_image(data, max_pixels=max_pixels))
    text, tsv = _run_tesseract(img, languages, timeout)
    lines = (line.strip() for line in text.replace("\f", "\n").splitlines())
    return OcrResult(text="\n".join(line for line in lines if line), confidence=round(_confidence(tsv), 4),
                     engine_version=engine)
