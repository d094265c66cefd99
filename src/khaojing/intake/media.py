"""Validate uploaded images (JPEG, PNG, WebP) by their content, and store them on disk by SHA-256."""

from __future__ import annotations

import errno
import hashlib
import io
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from khaojing.errors import Invalid, StorageFull, TooLarge
from khaojing.intake import messages_refusals as _refusals  # noqa: F401  (the refusals' Thai texts)

ALLOWED_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
MAX_PIXELS = 80_000_000


@dataclass(frozen=True)
class CheckedImage:
    data: bytes
    sha256: str
    content_type: str
    width: int
    height: int
    original_name: str | None

    @property
    def extension(self) -> str:
        return {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}[self.content_type]


def check_image(data: bytes, *, max_bytes: int, original_name: str | None = None) -> CheckedImage:
    """Accept only real JPEG/PNG/WebP images within the size limit; the file name and declared type are ignored."""
    if len(data) > max_bytes:
        raise TooLarge(f"image is {len(data)} bytes; the limit is {max_bytes} bytes", key="intake.err.image_too_large",
                       params={"size": len(data), "limit": max_bytes})
    if not data:
        raise Invalid("the image file is empty", key="intake.err.image_empty",
                      fields=[{"field": "image", "message": "empty file"}])
    try:
        with Image.open(io.BytesIO(data)) as img:
            fmt = img.format
            width, height = img.size
            if width * height > MAX_PIXELS:
                raise Invalid("the image has too many pixels", key="intake.err.image_pixels")
            img.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise Invalid("the file is not a JPEG, PNG or WebP image", key="intake.err.not_image",
                      fields=[{"field": "image", "message": f"not a valid image ({type(exc).__name__})"}]) from exc
    if fmt not in ALLOWED_FORMATS:
        raise Invalid(f"image format {fmt} is not accepted; send JPEG, PNG or WebP", key="intake.err.image_format",
                      params={"fmt": fmt}, fields=[{"field": "image", "message": f"format {fmt} not accepted"}])
    name = Path(original_name).name[:300] if original_name else None
    return CheckedImage(data=data, sha256=hashlib.sha256(data).hexdigest(), content_type=ALLOWED_FORMATS[fmt],
                        width=width, height=height, original_name=name)


def store_bytes(root: Path, data: bytes, *, sha256: str, extension: str, keep_free_bytes: int = 0) -> str:
    """Write bytes once under root/ab/cd/<sha256>.<ext> (fsync, atomic rename); return the relative path.

    Refuses with StorageFull (507, retry later) rather than fill the disk below `keep_free_bytes` (the database
    and the text reports need room too) or when the disk is full: nothing half-written is left behind."""
    rel = Path(sha256[:2]) / sha256[2:4] / f"{sha256}.{extension}"
    target = root / rel
    if target.exists():
        return rel.as_posix()
    tmp = target.with_suffix(f".tmp{os.getpid()}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if keep_free_bytes and shutil.disk_usage(root).free - len(data) < keep_free_bytes:
            raise StorageFull(f"file storage has less than {keep_free_bytes // 2**20} MB free")
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise StorageFull() from exc
        raise
    return rel.as_posix()


def store_image(media_dir: Path, image: CheckedImage, *, keep_free_bytes: int = 0) -> str:
    return store_bytes(media_dir, image.data, sha256=image.sha256, extension=image.extension,
                       keep_free_bytes=keep_free_bytes)


def media_path(media_dir: Path, storage_path: str) -> Path:
    """Resolve a stored relative path, refusing anything that escapes the media folder."""
    root = media_dir.resolve()
    path = (root / storage_path).resolve()
    if root not in path.parents:
        raise Invalid("bad media path")
    return path
