"""Hypothesis over the parsers that read what outsiders send: the LINE webhook parser, the feed parsers and the
bulk importer's rows and files. Whatever the input, each either returns well-formed data or refuses with its own
error (ValueError, FeedError, RowError, a Record with an error) — never another exception."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from khaojing.channels.feeds.fetch import FeedError
from khaojing.channels.feeds.parse import parse
from khaojing.channels.line.webhook import parse_events
from khaojing.intake.importer.files import read_records
from khaojing.intake.importer.rows import RowError, to_submission

FAST = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck), database=None)
TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=80) | st.sampled_from(
    ["", "ข่าวปลอม", "<script>x</script>", "2569-13-45", "https://", "\u200b", "ก" * 300])
JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
                    max_leaves=20)
TZ = ZoneInfo("Asia/Bangkok")
NOW = dt.datetime(2026, 11, 26, 12, tzinfo=dt.UTC)


def _line_like() -> st.SearchStrategy:
    event = st.fixed_dictionaries(
        {"type": st.sampled_from(["message", "follow", "unfollow", "postback", "join", "bogus"]) | TEXT},
        optional={"webhookEventId": TEXT, "timestamp": st.integers() | TEXT, "mode": TEXT,
                  "deliveryContext": st.fixed_dictionaries({}, optional={"isRedelivery": st.booleans() | TEXT}),
                  "source": st.fixed_dictionaries({"type": st.sampled_from(["user", "group", "room"]) | TEXT},
                                                  optional={"userId": TEXT, "groupId": TEXT}),
                  "replyToken": TEXT, "message": JSON, "postback": JSON})
    return st.fixed_dictionaries({"destination": TEXT, "events": st.lists(event, max_size=3)})


@FAST
@given(body=st.one_of(_line_like().map(lambda d: json.dumps(d).encode()), JSON.map(lambda d: json.dumps(d).encode()),
                      st.binary(max_size=200)))
def test_the_line_webhook_parser_returns_events_or_a_value_error(body: bytes) -> None:
    try:
        events = parse_events(body)
    except ValueError:
        return
    for event in events:
        assert isinstance(event.webhook_event_id, str) and isinstance(event.kind, str)
        assert "replyToken" not in event.body  # never stored with the event


def _rss(items: list[tuple[str, str]]) -> bytes:
    entries = "".join(f"<item><title>{t}</title><link>{link}</link></item>" for t, link in items)
    return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>x</title>{entries}' \
           f"</channel></rss>".encode()


@FAST
@given(kind=st.sampled_from(["rss", "jsonfeed", "json"]),
       body=st.one_of(st.binary(max_size=300), JSON.map(lambda d: json.dumps(d).encode()),
                      st.lists(st.tuples(TEXT, TEXT), max_size=3).map(_rss)),
       path=st.none() | st.sampled_from(["items", "data.posts", "a.b.c", ""]))
def test_feed_parsers_return_items_or_a_feed_error(kind: str, body: bytes, path: str | None) -> None:
    try:
        items = parse(kind, body, content_type="application/xml", item_path=path)
    except FeedError as exc:
        assert str(exc)  # the reason shown as the source's health
        return
    for item in items:
        assert isinstance(item.text, str)


@FAST
@given(row=st.dictionaries(st.sampled_from(["text", "url", "received_at", "language", "external_id", "หัวข้อข่าว",
                                            "ลิงก์ข่าว", "วันที่", "อื่น ๆ"]), TEXT, max_size=6),
       layout=st.sampled_from(["plain", "afnc"]))
def test_import_rows_become_submissions_or_a_row_error(row: dict, layout: str) -> None:
    try:
        sub = to_submission(row, layout, TZ, NOW)
    except RowError as exc:
        assert str(exc)
        return
    assert sub.text or sub.urls
    assert sub.received_at is None or sub.received_at <= NOW


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(content=st.binary(max_size=400) | st.lists(TEXT, max_size=5).map(lambda rows: "\n".join(rows).encode()),
       fmt=st.sampled_from(["csv", "jsonl"]))
def test_import_files_yield_records_or_record_errors(tmp_path_factory, content: bytes, fmt: str) -> None:  # noqa: ANN001
    path = Path(tmp_path_factory.mktemp("imp")) / f"in.{fmt}"
    path.write_bytes(content)
    for record in read_records(path, fmt):
        assert record.line >= 1
        assert (record.data is None) == (record.error is not None)
