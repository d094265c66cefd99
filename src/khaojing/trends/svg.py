"""Server-side charts for the printed reports: plain SVG strings (stacked columns per day), no browser needed.
Text inside is digits and day labels only; legends and names are HTML (shaped correctly by pango)."""

from __future__ import annotations

from html import escape

from khaojing.trends.charts import Series


def _nice_max(value: int) -> int:
    if value <= 5:
        return 5
    step = 10 ** (len(str(value)) - 1)
    for mult in (1, 2, 2.5, 5, 10):
        if value <= mult * step:
            return int(mult * step)
    return value


def stacked_columns(labels: list[str], series: list[Series], *, width: int = 680, height: int = 220,
                    title: str = "") -> str:
    """Columns per day stacked by series and a y axis with three gridlines. The legend is left to the HTML around
    it: WeasyPrint's SVG text does not shape Thai vowels and tone marks, its HTML text does."""
    left, right, top, bottom = 44, 8, 10, 24
    n = max(1, len(labels))
    totals = [sum(s.values[i] for s in series) for i in range(len(labels))] or [0]
    ymax = _nice_max(max(totals) if totals else 0)
    plot_w, plot_h = width - left - right, height - top - bottom
    slot = plot_w / n
    bar = max(2.0, slot * 0.7)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
             'font-family="Loma, Garuda, sans-serif" font-size="10">']
    for frac in (0, 0.5, 1):
        y = top + plot_h * (1 - frac)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#d5dbe1"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 3:.1f}" text-anchor="end" fill="#4a545e">'
                     f'{ymax * frac:,.5g}</text>')
    every = max(1, n // 14)
    for i, label in enumerate(labels):
        x = left + slot * i + (slot - bar) / 2
        base = top + plot_h
        for s in series:
            value = s.values[i]
            if value <= 0:
                continue
            h = plot_h * value / ymax
            base -= h
            parts.append(f'<rect x="{x:.1f}" y="{base:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                         f'fill="{escape(s.colour or "#1565c0")}"/>')
        if i % every == 0:
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{top + plot_h + 14}" text-anchor="middle" '
                         f'fill="#4a545e">{escape(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)
