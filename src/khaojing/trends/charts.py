"""Chart data for the dashboards (one JSON block read by static/js/trends.js) and the tables that show the same
numbers without JavaScript; labels in the reader's language, dates in the Buddhist era."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from khaojing.messages import t
from khaojing.settings import Settings
from khaojing.thai.dates import THAI_MONTHS_SHORT
from khaojing.trends.dashboard import Dashboard
from khaojing.trends.funnel import STAGES

COLOURS = {"red": "#c62828", "orange": "#ef6c00", "green": "#2e7d32", "grey": "#616161"}
PALETTE = ["#1565c0", "#00897b", "#f9a825", "#6a1b9a", "#d84315", "#2e7d32", "#5d4037", "#546e7a"]


@dataclass
class Series:
    key: str
    name: str
    values: list[int]
    colour: str | None = None


def topic_name(key: str, settings: Settings, lang: str) -> str:
    for tp in settings.topics:
        if tp.key == key:
            return tp.th if lang == "th" else tp.en
    return t("funnel.no_topic", lang) if not key else key


def label_def(key: str, settings: Settings):  # noqa: ANN201
    return next((lb for lb in settings.verdict_labels if lb.key == key), None)


def label_name(key: str, settings: Settings, lang: str) -> str:
    lb = label_def(key, settings)
    return (lb.th if lang == "th" else lb.en) if lb else key


def short_day(day: dt.date, lang: str) -> str:
    """'16 พ.ย.' / '16 Nov' (axis labels; the period heading carries the year)."""
    return f"{day.day} {THAI_MONTHS_SHORT[day.month - 1]}" if lang == "th" else f"{day.day} {day:%b}"


def long_day(day: dt.date, lang: str) -> str:
    """'16 พ.ย. 2569' / '16 Nov 2026'."""
    return f"{short_day(day, lang)} {day.year + 543 if lang == 'th' else day.year}"


def long_iso(day: str, lang: str) -> str:
    return long_day(dt.date.fromisoformat(day), lang)


def day_labels(dash: Dashboard, settings: Settings, lang: str) -> list[str]:
    return [short_day(dt.date.fromisoformat(d), lang) for d in dash.days]


def _ordered(series: dict[str, list[int]]) -> list[tuple[str, list[int]]]:
    return sorted(series.items(), key=lambda kv: (-sum(kv[1]), kv[0]))


def channel_series(dash: Dashboard, lang: str) -> list[Series]:
    return [Series(k, t(f"channel.{k}", lang) if k else "?", v, PALETTE[i % len(PALETTE)])
            for i, (k, v) in enumerate(_ordered(dash.by_channel))]


def topic_series(dash: Dashboard, settings: Settings, lang: str) -> list[Series]:
    return [Series(k, topic_name(k, settings, lang), v, PALETTE[i % len(PALETTE)])
            for i, (k, v) in enumerate(_ordered(dash.by_topic))]


def verdict_series(dash: Dashboard, settings: Settings, lang: str, *, public: bool = False) -> list[Series]:
    out = []
    for lb in settings.verdict_labels:
        if lb.key in dash.by_verdict and (lb.public or not public):
            out.append(Series(lb.key, label_name(lb.key, settings, lang), dash.by_verdict[lb.key],
                              COLOURS.get(lb.colour, lb.colour)))
    return out


def funnel_rows(dash: Dashboard, lang: str) -> list[dict]:
    base = dash.funnel.totals.get("collected") or 0
    return [{"key": s, "name": t(f"funnel.{s}", lang), "n": dash.funnel.totals.get(s, 0),
             "share": (dash.funnel.totals.get(s, 0) / base) if base else None} for s in STAGES]


def payload(dash: Dashboard, settings: Settings, lang: str, *, public: bool = False) -> dict:
    """Everything trends.js draws, as plain JSON."""
    def series(items: list[Series]) -> list[dict]:
        return [{"name": s.name, "values": s.values, "colour": s.colour} for s in items]

    timings = [tm for tm in dash.timings if tm.median_hours is not None]
    data = {
        "days": day_labels(dash, settings, lang),
        "funnel": [{"name": r["name"], "value": r["n"]} for r in funnel_rows(dash, lang)],
        "by_channel": series(channel_series(dash, lang)),
        "by_topic": series(topic_series(dash, settings, lang)),
        "by_verdict": series(verdict_series(dash, settings, lang, public=public)),
        "top_reports": [{"name": c.title[:60], "value": c.reports} for c in dash.top_reports],
        "top_growth": [{"name": c.title[:60], "value": round(c.growth, 1)} for c in dash.top_growth],
        "timings": [{"name": t(f"times.{tm.key}", lang), "value": tm.median_hours, "p90": tm.p90_hours}
                    for tm in timings],
        "agency_timings": [{"name": tm.agency, "value": tm.median_hours} for tm in dash.agency_timings[:12]
                           if tm.median_hours is not None],
        "labels": {"total": t("chart.total", lang), "median": t("times.median", lang), "p90": t("times.p90", lang)},
    }
    return data
