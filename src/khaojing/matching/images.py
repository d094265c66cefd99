"""Match re-posted images: perceptual hashes (pHash, 64 bits as 16 hex characters) and a Hamming-distance index."""

from __future__ import annotations

import io
import itertools
import threading
import warnings

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

HASH_HEX_LENGTH = 16
MAX_PIXELS = 80_000_000  # refused before decoding, as in intake.media
# Measured on news cards (a picture and a Thai headline): resized or JPEG-recompressed copies 0–4 bits; copies cropped
# by up to 5 % at most 8 bits from the nearest of phash_variants(); different pictures at least 12 bits (mean 24).
DEFAULT_MAX_DISTANCE = 8
CROP_VARIANT = 0.04

_POPCOUNT = np.array([bin(i).count("1") for i in range(256)], dtype=np.uint8)


class ImageHashError(ValueError):
    """The bytes are not a decodable image, or the image has too many pixels."""


def _open(data: bytes, max_pixels: int) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))
            if img.size[0] * img.size[1] > max_pixels:
                raise ImageHashError(f"the image has {img.size[0]}x{img.size[1]} pixels; the limit is {max_pixels:,}")
            img.seek(0)
            img.load()
            return ImageOps.exif_transpose(img)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageHashError(f"the image has too many pixels ({exc})") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        if isinstance(exc, ImageHashError):
            raise
        raise ImageHashError(f"not a decodable image ({type(exc).__name__})") from exc


def _greyscale(img: Image.Image) -> Image.Image:
    if img.mode not in ("L", "RGB"):
        img = Image.alpha_composite(Image.new("RGBA", img.size, "white"), img.convert("RGBA"))
    return img.convert("L")


def _hash(img: Image.Image) -> str:
    import imagehash

    return str(imagehash.phash(img))


def phash(data: bytes, *, max_pixels: int = MAX_PIXELS) -> str:
    """The 64-bit perceptual hash (imagehash.phash) of an image's first frame, as 16 lower-case hex characters."""
    return _hash(_greyscale(_open(data, max_pixels)))


def phash_variants(data: bytes, *, crop: float = CROP_VARIANT, max_pixels: int = MAX_PIXELS) -> list[str]:
    """The hashes to index for one image: its own pHash first, then the pHashes of its 15 crops that cut `crop` off
    some of its four sides. A copy cropped by up to 5 % is then within a few bits of one of them (one pHash alone
    moves by up to 24 bits when a corner is cut off)."""
    img = _greyscale(_open(data, max_pixels))
    width, height = img.size
    hashes = []
    for left, top, right, bottom in itertools.product((0.0, crop), repeat=4):
        box = (int(width * left), int(height * top), width - int(width * right), height - int(height * bottom))
        hashes.append(_hash(img.crop(box) if box != (0, 0, width, height) else img))
    return list(dict.fromkeys(hashes))


def _as_int(hash_hex: str) -> int:
    if len(hash_hex) != HASH_HEX_LENGTH:
        raise ValueError(f"an image hash has {HASH_HEX_LENGTH} hex characters, not {len(hash_hex)}: {hash_hex!r}")
    try:
        return int(hash_hex, 16)
    except ValueError as exc:
        raise ValueError(f"not a hex image hash: {hash_hex!r}") from exc


def hamming(a: str, b: str) -> int:
    """Bits that differ between two 16-hex-character hashes (0 = same picture, 64 = opposite)."""
    return (_as_int(a) ^ _as_int(b)).bit_count()


class ImageHashIndex:
    """In-memory index of claim id -> image hash; query returns the claims within a Hamming distance, nearest first.

    One XOR + popcount over a numpy uint64 array. A claim may hold several hashes (add each of phash_variants() under
    the same claim id); remove() drops all of them. Thread-safe; rebuilt from the database at start.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ids: list[object] = []
        self._hashes = np.zeros(0, dtype=np.uint64)
        self._size = 0

    def __len__(self) -> int:
        return self._size

    def add(self, claim_id: object, hash_hex: str) -> None:
        value = np.uint64(_as_int(hash_hex))
        with self._lock:
            if self._size == len(self._hashes):
                grown = np.zeros(max(1024, 2 * len(self._hashes)), dtype=np.uint64)
                grown[:self._size] = self._hashes[:self._size]
                self._hashes = grown
            self._hashes[self._size] = value
            self._ids.append(claim_id)
            self._size += 1

    def remove(self, claim_id: object) -> int:
        """Drop every hash of this claim; returns how many were dropped."""
        with self._lock:
            keep = [i for i, cid in enumerate(self._ids) if cid != claim_id]
            dropped = self._size - len(keep)
            if dropped:
                self._hashes = self._hashes[keep] if keep else np.zeros(0, dtype=np.uint64)  # a new array
                self._ids = [self._ids[i] for i in keep]
                self._size = len(keep)
            return dropped

    def _snapshot(self) -> tuple[np.ndarray, list[object]]:
        # add() only appends and remove() swaps in new objects, so a snapshot stays consistent without copying
        with self._lock:
            return self._hashes[:self._size], self._ids

    def distances(self, hash_hex: str) -> np.ndarray:
        """Hamming distance from `hash_hex` to every stored hash, in insertion order."""
        return self._distances(np.uint64(_as_int(hash_hex)), self._snapshot()[0])

    @staticmethod
    def _distances(query: np.uint64, stored: np.ndarray) -> np.ndarray:
        xor = np.bitwise_xor(stored, query)
        if hasattr(np, "bitwise_count"):  # numpy >= 2.0: a popcount ufunc
            return np.bitwise_count(xor)
        return _POPCOUNT[xor.view(np.uint8).reshape(-1, 8)].sum(axis=1, dtype=np.uint8)

    def query(self, hash_hex: str, max_distance: int = DEFAULT_MAX_DISTANCE,
              limit: int | None = None) -> list[tuple[object, int]]:
        """[(claim_id, distance)] within max_distance, nearest first; a claim appears once (its nearest hash)."""
        query = np.uint64(_as_int(hash_hex))
        stored, ids = self._snapshot()
        distances = self._distances(query, stored)
        hits = np.flatnonzero(distances <= max_distance)
        hits = hits[np.argsort(distances[hits], kind="stable")]
        found: dict[object, int] = {}
        for i in hits:
            found.setdefault(ids[i], int(distances[i]))
        results = list(found.items())
        return results[:limit] if limit is not None else results
