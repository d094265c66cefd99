"""Share cards (sizes, caching per version, Thai wrapping) and the verdict-published job."""

from __future__ import annotations

import difflib
import io

from PIL import Image, ImageChops, ImageDraw
from pub_helpers import correct, publish
from sqlalchemy import select

from khaojing.cases.verdicts import PUBLISHED_JOB
from khaojing.claims.models import Verdict
from khaojing.intake.models import Report
from khaojing.jobs import registry
from khaojing.publication import cards, jobs

HARD = "ผู้ใหญ่ลี้ ปั้นน้ำเป็นตัว ก๊ก ญี่ปุ่น ฤๅษี"


def _png(env, path: str) -> Image.Image:  # noqa: ANN001
    r = env.client.get(path)
    assert r.status_code == 200 and r.headers["content-type"] == "image/png"
    return Image.open(io.BytesIO(r.content))


def test_cards_have_their_sizes_and_are_regenerated_on_correction(env) -> None:  # noqa: ANN001
    claim_id = publish(env.db, env.settings, headline=HARD)
    square = _png(env, f"/verdicts/{claim_id}/card-1080.png")
    wide = _png(env, f"/verdicts/{claim_id}/card-1200x630.png")
    assert square.size == (1080, 1080) and wide.size == (1200, 630)
    assert square.convert("RGB").getpixel((5, 5)) == (0xC6, 0x28, 0x28)  # the fake band is red
    before = sorted(p.name for p in cards.cache_dir(env.settings).iterdir())
    assert len(before) == 2 and all("-v1-" in name for name in before)
    correct(env.db, claim_id, label="distorted")
    corrected = _png(env, f"/verdicts/{claim_id}/card-1080.png")
    assert corrected.convert("RGB").getpixel((5, 5)) == (0xC4, 0x3E, 0x00)  # orange now (AA contrast under white)
    assert any("-v2-1080" in p.name for p in cards.cache_dir(env.settings).iterdir())
    assert ImageChops.difference(square.convert("RGB"), corrected.convert("RGB")).getbbox() is not None


def test_thai_wraps_on_word_boundaries_and_shapes_with_raqm() -> None:
    from PIL import features

    assert features.check("raqm")
    font = cards.font(44, bold=True)
    text = "กระทรวงการคลังแจกเงินเยียวยาให้ประชาชนทุกคนกดลิงก์ลงทะเบียนรับเงินภายในวันนี้"
    lines = cards.wrap(text, font, 500, 5)
    assert "".join(lines) == text and len(lines) > 1
    assert all(font.getlength(line) <= 500 for line in lines)
    assert all(not line.startswith(("ะ", "ั", "า", "ำ", "ิ", "ี", "่", "้")) for line in lines)
    cut = cards.wrap(text * 5, font, 500, 2)
    assert len(cut) == 2 and cut[-1].endswith("…")


def test_hard_thai_is_shaped_marks_stacked_or_lowered() -> None:
    """With raqm, a tone mark sits low on a bare consonant (ก๊, ผู้) and stacks above an upper vowel (ปั้, ลี้);
    without shaping every tone mark is drawn at the same height. Then OCR reads the hard string back."""
    font = cards.font(64)
    top = {text: font.getbbox(text)[1] for text in ("ก๊", "ผู้", "ปั้", "ลี้")}
    assert top["ก๊"] > top["ปั้"] + 8 and top["ผู้"] > top["ลี้"] + 8, top
    image = Image.new("L", (1400, 160), 255)
    ImageDraw.Draw(image).text((20, 30), HARD, font=font, fill=0)
    try:
        import pytesseract

        read = pytesseract.image_to_string(image, lang="tha", config="--psm 7").strip()
    except Exception:  # noqa: BLE001  (no tesseract or no Thai data on this machine)
        return
    assert difflib.SequenceMatcher(None, read, HARD).ratio() >= 0.85, read


def test_the_published_job_renders_cards_and_marks_reports_answered(env) -> None:  # noqa: ANN001
    assert registry.get_handler(PUBLISHED_JOB) is jobs.verdict_published
    claim_id = publish(env.db, env.settings, reports=3)
    with env.db.unit_of_work() as session:
        verdict_id = session.scalar(select(Verdict.id).where(Verdict.claim_id == claim_id))
        jobs.verdict_published(session=session, settings=env.settings, claim_id=claim_id, verdict_id=verdict_id,
                               version=1)
    with env.db.unit_of_work(readonly=True) as session:
        statuses = session.scalars(select(Report.status).where(Report.claim_id == claim_id)).all()
    assert statuses == ["answered"] * 3
    assert len(list(cards.cache_dir(env.settings).glob("verdict-*-v1-*.png"))) == 2


def test_the_job_answers_reports_of_an_internal_verdict_without_cards(env) -> None:  # noqa: ANN001
    claim_id = publish(env.db, env.settings, label="unverifiable", reports=1)
    with env.db.unit_of_work() as session:
        jobs.verdict_published(session=session, settings=env.settings, claim_id=claim_id, verdict_id=claim_id,
                               version=1)
    with env.db.unit_of_work(readonly=True) as session:
        assert session.scalar(select(Report.status).where(Report.claim_id == claim_id)) == "answered"
    assert not cards.cache_dir(env.settings).exists()


def test_the_job_hands_the_verdict_to_the_tipline_notifier(env, monkeypatch) -> None:  # noqa: ANN001
    from khaojing.tipline import notify

    calls = []
    monkeypatch.setattr(notify, "notify_verdict", lambda session, **kw: calls.append(kw) or notify.Notified())
    claim_id = publish(env.db, env.settings, reports=1)
    with env.db.unit_of_work() as session:
        verdict_id = session.scalar(select(Verdict.id).where(Verdict.claim_id == claim_id))
        jobs.verdict_published(session=session, settings=env.settings, claim_id=claim_id, verdict_id=verdict_id,
                               version=1)
    assert calls == [{"claim_id": claim_id, "verdict_id": verdict_id, "version": 1, "settings": env.settings}]
