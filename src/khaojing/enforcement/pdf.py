"""The PDF summary of an evidence package, for the police or a section-20 petition (WeasyPrint, Thai in Loma)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from khaojing.web.pdf import html_to_pdf

FONTS = Path(__file__).resolve().parents[1] / "publication" / "fonts"
TEMPLATES_DIR = Path(__file__).resolve().parents[1] / "web" / "templates"

TEMPLATE = "console/enforcement_summary_pdf.html"  # a WeasyPrint page, not served to browsers


@dataclass
class SummaryItem:
    id: int
    method: str
    url: str | None
    final_url: str | None
    http_status: int | None
    captured_at: str
    captured_by: str
    tool: str
    sha256: str
    title: str
    excerpt: str
    files: list[str] = field(default_factory=list)
    custody: list[str] = field(default_factory=list)
    screenshot: str | None = None  # a file:// URI


@dataclass
class Summary:
    center: str
    case_id: int
    claim: str
    made_at: str
    made_by: str
    verdict: dict | None
    statements: list[dict]
    items: list[SummaryItem]
    key_id: str
    key_url: str
    earlier_key_ids: list[str] = field(default_factory=list)  # retired keys that signed items of the package


def render_pdf(summary: Summary) -> bytes:
    env = Environment(loader=FileSystemLoader(TEMPLATES_DIR), autoescape=select_autoescape(default=True))
    html = env.get_template(TEMPLATE).render(font=(FONTS / "Loma.ttf").as_uri(),
                                            font_bold=(FONTS / "Loma-Bold.ttf").as_uri(), **vars(summary))
    return html_to_pdf(html, base_url=str(FONTS))
