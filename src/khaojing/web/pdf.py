"""HTML to PDF with WeasyPrint (Thai shaped by pango), without its side effect on image checks.

Importing weasyprint sets Pillow's ImageFile.LOAD_TRUNCATED_IMAGES = True for the whole process, after which a
truncated upload would pass khaojing's image checks and hash. The flag is put back as it was."""

from __future__ import annotations

from PIL import ImageFile


def html_to_pdf(html: str, *, base_url: str) -> bytes:
    before = ImageFile.LOAD_TRUNCATED_IMAGES
    from weasyprint import HTML  # heavy import (pango): only when a PDF is made

    ImageFile.LOAD_TRUNCATED_IMAGES = before
    return HTML(string=html, base_url=base_url).write_pdf()
