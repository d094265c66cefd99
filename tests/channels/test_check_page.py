"""The public "check a message" page: instant matches like on LINE, and the way on to the report form."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from helpers import csrf_from, image_bytes
from khaojing.intake.models import Report

_spec = importlib.util.spec_from_file_location("scripted", Path(__file__).parents[1] / "tipline" / "test_scripted.py")
scripted = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(scripted)  # type: ignore[union-attr]


@pytest.fixture(autouse=True)
def _fresh_indexes():  # noqa: ANN202
    from khaojing.matching.live import forget_indexes

    forget_indexes()
    yield
    forget_indexes()


def _check(client, **fields):  # noqa: ANN001, ANN003, ANN202
    page = client.get("/check")
    assert page.status_code == 200
    files = fields.pop("files", None)
    return client.post("/check", data={"csrf_token": csrf_from(page.text), **fields}, files=files)


def test_a_copy_of_a_verified_claim_shows_its_verdict_card(env) -> None:  # noqa: ANN001
    claim_id, _ = scripted.publish(env, scripted.VERIFIED)
    r = _check(env.client, text=f"ส่งต่อด่วน!! {scripted.VERIFIED}")
    assert r.status_code == 200
    assert 'data-label="fake"' in r.text and "check-answer verdict-fake" in r.text and "ข่าวปลอม" in r.text
    assert f'href="/verdicts/{claim_id}' in r.text and "กรมควบคุมโรค" in r.text
    assert "/check/file" not in r.text


def test_an_ambiguous_text_lists_similar_stories_and_offers_to_file_it(env) -> None:  # noqa: ANN001
    scripted.publish(env, scripted.VERIFIED)
    r = _check(env.client, text="ดื่มน้ำมะนาวช่วยฆ่าเชื้อไวรัสได้จริงหรือ")
    assert r.status_code == 200 and "คล้าย " in r.text and "%" in r.text
    assert "/check/file" in r.text
    filed = env.client.post("/check/file", data={"csrf_token": csrf_from(r.text), "text": "ข่าวลือใหม่ทดสอบ",
                                                 "url": ""})
    assert filed.status_code == 200 and 'action="/report' in filed.text and "ข่าวลือใหม่ทดสอบ" in filed.text


def test_new_text_image_and_link_and_bad_input(env) -> None:  # noqa: ANN001
    r = _check(env.client, text=scripted.RUMOUR, url="https://example.com/a")
    assert r.status_code == 200 and "ยังไม่พบผลการตรวจสอบ" in r.text and "/check/file" in r.text
    r = _check(env.client, files={"image": ("a.png", image_bytes(), "image/png")})
    assert r.status_code == 200 and "/check/file" in r.text
    assert _check(env.client, text="").status_code == 422
    assert _check(env.client, text="x", url="javascript:alert(1)").status_code == 422
    assert _check(env.client, files={"image": ("a.png", b"not an image", "image/png")}).status_code == 422
    assert env.client.post("/check", data={"csrf_token": "wrong", "text": "x"}).status_code == 403
    assert env.client.post("/check", data={"text": "x"}).status_code == 403
    with env.db.unit_of_work(readonly=True) as session:
        assert session.query(Report).count() == 0  # checking files nothing
