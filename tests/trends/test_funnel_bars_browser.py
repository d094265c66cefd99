"""The statistics funnel as drawn (headless Chromium, /trends on a desktop and a phone): every stage with a count draws
a bar a person can see, even a stage with 1 on a log scale beside hundreds; a stage with none draws none; and a longer
bar always means a larger count."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from trend_data import add_reports, claim, verified  # noqa: E402

from khaojing.db.base import utcnow  # noqa: E402
from khaojing.trends import aggregates  # noqa: E402

pytestmark = pytest.mark.browser
# each bar as ECharts laid it out: the stage's name and its length in pixels
BARS = """() => { const chart = echarts.getInstanceByDom(document.querySelector('[data-chart=funnel]'));
  const data = chart.getModel().getSeriesByIndex(0).getData(), out = {};
  for (let i = 0; i < data.count(); i++) {
    const at = data.getItemLayout(i); out[data.getName(i)] = at ? Math.abs(at.width) : 0; }
  return out; }"""
COUNTS = """() => Object.fromEntries([...document.querySelectorAll('[data-stage]')].map(td =>
  [td.closest('tr').querySelector('th').textContent.trim(), Number(td.textContent.replace(/,/g, ''))]))"""


def _funnel(env) -> None:  # noqa: ANN001
    """Collected 443 → screened 43 → grouped 2 → sent 2 → answered 1 → published 0."""
    now = utcnow()
    times = [now - dt.timedelta(hours=30, minutes=3 * k) for k in range(400)]
    with env.db.unit_of_work() as session:
        add_reports(session, claim=None, times=times, channel="feed", topic=None, is_claim=False)
        spread = claim(session, "ยาสมุนไพรรักษาโรคเบาหวานหายขาดในเจ็ดวัน", at=now - dt.timedelta(hours=40))
        add_reports(session, claim=spread, times=[now - dt.timedelta(hours=20, minutes=k) for k in range(40)])
        verified(session, spread, opened=now - dt.timedelta(hours=19), first_action_h=1, sent_h=2, answered_h=5,
                 published_h=None, agency="กรมการแพทย์")
        rare = claim(session, "ไฟฟ้าจะดับทั่วประเทศสามวัน", topic="disaster", at=now - dt.timedelta(hours=10))
        add_reports(session, claim=rare, times=[now - dt.timedelta(hours=9, minutes=k) for k in range(3)],
                    topic="disaster")
        verified(session, rare, opened=now - dt.timedelta(hours=8), first_action_h=1, sent_h=2, answered_h=None,
                 published_h=None, agency="การไฟฟ้านครหลวง")
        aggregates.refresh(session, settings=env.settings, now=now, hours=24 * 8)


def test_every_stage_with_a_count_draws_a_visible_bar_in_order(env, browser, live_url) -> None:  # noqa: ANN001
    _funnel(env)
    for width in (1280, 390):
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.goto(f"{live_url}/trends?days=7&lang=en")
        page.wait_for_function("document.querySelector('[data-chart=funnel][data-ready]')")
        counts, bars = page.evaluate(COUNTS), page.evaluate(BARS)
        assert sorted(counts.values()) == [0, 1, 2, 2, 43, 443], counts
        assert set(bars) == set(counts)
        for stage, n in counts.items():
            if n:
                assert bars[stage] >= 8, f"{width} px: {stage} ({n}) draws a bar of {bars[stage]:.1f} px"
            else:
                assert bars[stage] < 0.5, f"{width} px: {stage} has no count but draws {bars[stage]:.1f} px"
        for a in counts:
            for b in counts:
                if counts[a] > counts[b]:
                    assert bars[a] > bars[b] + 1, f"{width} px: {a} ({counts[a]}) is not longer than {b} ({counts[b]})"
                elif counts[a] == counts[b]:
                    assert abs(bars[a] - bars[b]) < 0.5
        page.close()
