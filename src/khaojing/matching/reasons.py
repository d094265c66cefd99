"""Why the matcher decided what it did: each reason is a key and its parameters ({"key": "match.below_suggest",
"score": 0.01, "threshold": 0.45}), stored as such in a report's screening JSON and worded in Thai or English only
when shown (the console's screening panel: console/_claim_macros.html `match_reason`; elsewhere `reason_text`)."""

from __future__ import annotations

import math
from typing import Any

from khaojing.messages import MESSAGES, register, t

PREFIX = "match."
NUMBER = "number"  # among a template twin's words: the claim states a number that the message does not
PARAMS = ("score", "threshold", "cosine", "cosine_threshold", "kind", "claim_id", "verdict", "words", "count")
DIGITS = {"score": 2, "threshold": 2, "cosine": 3, "cosine_threshold": 3}  # decimals shown; other numbers as they are

TEXTS = {
    "match.no_candidate": {"th": "ไม่พบประเด็นข่าวที่คล้ายกัน", "en": "no similar claim"},
    "match.auto_answer": {"th": "จับคู่ได้ ({kind}) คะแนน {score} ≥ เกณฑ์ตอบอัตโนมัติ {threshold}",
                          "en": "matched ({kind}), score {score} ≥ auto-answer threshold {threshold}"},
    "match.verdict": {"th": "ผลการตรวจสอบ: {verdict}", "en": "verdict: {verdict}"},
    "match.twin": {"th": "อาจเป็นข่าวคนละเรื่องที่ใช้ประโยคแบบเดียวกัน: ประเด็นข่าวระบุ {words} "
                         "แต่ข้อความที่แจ้งไม่ได้ระบุ",
                   "en": "possible template twin: the claim states {words}, the message does not"},
    "match.word.number": {"th": "ตัวเลข", "en": "a number"},
    "match.short_input": {"th": "ข้อความสั้น (คำสำคัญ {count} คำ): ไม่ตอบอัตโนมัติจากข้อความที่สั้นเท่านี้",
                          "en": "short input ({count} content words): never answered automatically from text"},
    "match.short_far": {"th": "ข้อความสั้น (คำสำคัญ {count} คำ) และความหมายยังไม่ใกล้พอ "
                              "(ความคล้าย {cosine} < {cosine_threshold})",
                        "en": "short input ({count} content words) and meaning not close enough "
                              "(cosine {cosine} < {cosine_threshold})"},
    "match.score": {"th": "คะแนน {score}", "en": "score {score}"},
    "match.group": {"th": "จับคู่ได้ ({kind}) กับประเด็นข่าวที่ยังเปิดอยู่ #{claim_id} คะแนน {score}",
                    "en": "matched ({kind}) with open claim #{claim_id}, score {score}"},
    "match.suggest": {"th": "คะแนน {score} ≥ เกณฑ์เสนอให้นักวิเคราะห์ยืนยัน {threshold}",
                      "en": "score {score} ≥ suggest threshold {threshold}"},
    "match.below_suggest": {"th": "คะแนนสูงสุด {score} < เกณฑ์เสนอให้นักวิเคราะห์ยืนยัน {threshold}",
                            "en": "best score {score} < suggest threshold {threshold}"},
    "match.attached": {"th": "ช่องทางที่รับเรื่องผูกไว้กับประเด็นข่าวก่อนคัดกรอง",
                       "en": "attached by the channel before screening"},
}
register(TEXTS)


def reason(key: str, **params: Any) -> dict[str, Any]:
    """One reason: `reason("below_suggest", score=0.01, threshold=0.45)`; the key must have texts."""
    full = PREFIX + key
    if full not in TEXTS:
        raise KeyError(f"no texts for the reason {full!r}")
    return {"key": full, **params}


def reason_text(item: object, lang: str = "en") -> str:
    """A reason in `lang`; a plain string (reports screened before reasons had keys) is returned as it is, a key
    without texts as the key, a missing or odd parameter as a dash."""
    if isinstance(item, str):
        return item
    key = item.get("key") if isinstance(item, dict) else None
    if not isinstance(key, str) or not key.startswith(PREFIX) or key not in MESSAGES:
        return str(key if isinstance(key, str) else item)
    return t(key, lang, **{name: _param(name, item.get(name), lang) for name in PARAMS})


def reason_texts(items: list, lang: str = "en") -> list[str]:
    return [reason_text(item, lang) for item in items]


def _param(name: str, value: object, lang: str) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float | str | list):
        return "–"
    if isinstance(value, int | float):
        digits = DIGITS.get(name)
        return "–" if not math.isfinite(value) else str(value) if digits is None else f"{value:.{digits}f}"
    if name in DIGITS:
        return "–"
    if isinstance(value, list):
        return ", ".join(t("match.word.number", lang) if w == NUMBER else str(w) for w in value) or "–"
    if name in ("kind", "verdict"):
        from khaojing.claims import messages  # noqa: F401  (kind labels; it imports this module, hence here)

        label = ("claims.match." if name == "kind" else "verdict.") + value
        return t(label, lang) if label in MESSAGES else value
    return value
