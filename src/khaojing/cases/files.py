"""Case attachments: accept images (JPEG, PNG, WebP) and PDF documents by their content, store them by SHA-256."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from khaojing.errors import Invalid, TooLarge
from khaojing.intake.media import check_image, media_path, store_bytes

PDF = "application/pdf"
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", PDF: "pdf"}


@dataclass(frozen=True)
class CheckedFile:
    data: bytes
    sha256: str
    content_type: str
    original_name: str | None

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.content_type]


def _is_pdf(data: bytes) -> bool:
    """A PDF starts with %PDF-1.x / %PDF-2.0 (within the first KiB) and ends with %%EOF."""
    head = data[:1024]
    start = head.find(b"%PDF-")
    return start != -1 and data[start + 5:start + 6] in (b"1", b"2") and b"%%EOF" in data[-2048:]


def check_file(data: bytes, *, max_bytes: int, original_name: str | None = None) -> CheckedFile:
    """Only real images and PDFs within the size limit; the file name and the declared type are ignored."""
    if len(data) > max_bytes:
        raise TooLarge(f"the file is {len(data)} bytes; the limit is {max_bytes} bytes", key="err.file_large",
                       params={"limit": f"{max_bytes / 1_000_000:g} MB"})
    if not data:
        raise Invalid("the file is empty", key="err.file_empty", fields=[{"field": "file", "message": "empty"}])
    name = Path(original_name).name[:300] if original_name else None
    if _is_pdf(data):
        return CheckedFile(data=data, sha256=hashlib.sha256(data).hexdigest(), content_type=PDF, original_name=name)
    try:
        image = check_image(data, max_bytes=max_bytes, original_name=name)
    except Invalid as exc:
        raise Invalid("only images (JPEG, PNG, WebP) and PDF documents can be attached", key="err.file_type",
                      fields=[{"field": "file", "message": "not an image or a PDF"}]) from exc
    return CheckedFile(data=data, sha256=image.sha256, content_type=image.content_type, original_name=name)


def store_file(root: Path, checked: CheckedFile) -> str:
    """Store an attachment by its SHA-256, the same way as report media."""
    return store_bytes(root, checked.data, sha256=checked.sha256, extension=checked.extension)


def attachment_path(root: Path, storage_path: str) -> Path:
    """The file of a stored attachment, refusing any path that leaves the attachments folder."""
    return media_path(root, storage_path)
