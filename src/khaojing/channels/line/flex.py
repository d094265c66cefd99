"""LINE message builders: the verdict bubble, the candidates carousel, quick replies, consent questions.

Pure functions from plain data to LINE message JSON (dicts), valid against LINE's messaging-api.yml.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, quote, urlencode

from khaojing.thai.dates import format_datetime

LABELS = {  # verdict label -> (Thai, English, colour)
    "fake": ("ข่าวปลอม", "Fake news", "#C62828"),
    "distorted": ("ข่าวบิดเบือน", "Distorted", "#E65100"),
    "true": ("ข่าวจริง", "True", "#2E7D32"),
    "unverifiable": ("ไม่สามารถยืนยันได้", "Unverifiable", "#616161"),
}
MAX_CANDIDATES = 5
ALT_TEXT_MAX = 400  # LINE allows more (1500 today); older clients cut at 400
TEXT_MAX = 5000
URI_MAX = 1000  # LINE's limit for a URI action
GREY = "#666666"

T = {
    "result": ("ผลการตรวจสอบ", "Fact-check result"),
    "agency": ("หน่วยงาน", "Agency"),
    "date": ("วันที่", "Date"),
    "read": ("อ่านผลการตรวจสอบ", "Read the fact-check"),
    "share": ("แชร์ให้เพื่อน", "Share with friends"),
    "similar": ("คล้าย {n}%", "{n}% similar"),
    "pick": ("ใช่ เรื่องนี้", "Yes, this one"),
    "none": ("ไม่ใช่ทั้งหมด", "None of these"),
    "found": ("พบข่าวที่คล้ายกัน {n} เรื่อง", "{n} similar stories found"),
    "check": ("ตรวจสอบข่าว", "Check a message"),
    "latest": ("ข่าวปลอมล่าสุด", "Latest fake news"),
    "howto": ("วิธีแจ้งข่าว", "How to report"),
    "notify": ("ตั้งค่าการแจ้งเตือน", "Notifications"),
    "yes": ("ใช่", "Yes"),
    "no": ("ไม่ใช่", "No"),
    "whole": ("ข้อความนี้คือข้อความทั้งหมดที่ได้รับมาใช่ไหม? ถ้ายังมีส่วนอื่นอีก ส่งต่อมาได้เลย",
              "Is this the whole message you received? If there is more, forward the rest too."),
    "consent": ("ยังไม่พบผลการตรวจสอบเรื่องนี้ ต้องการให้ศูนย์ฯ ตรวจสอบและแจ้งผลกลับทาง LINE ไหม? "
                "ศูนย์ฯ จะเก็บข้อความนี้ไว้ตรวจสอบ และใช้บัญชี LINE ของคุณเพื่อแจ้งผลเท่านั้น",
                "We have no fact-check on this yet. Shall the center check it and tell you the result here on "
                "LINE? We keep the message to check it and use your LINE account only to tell you the result."),
    "consent_yes": ("ส่งตรวจสอบ", "Yes, check it"),
    "consent_no": ("ไม่ต้อง", "No, thanks"),
    "notify_on": ("เปิดการแจ้งเตือน", "Turn on"),
    "notify_off": ("ปิดการแจ้งเตือน", "Turn off"),
}


def t(key: str, lang: str, **values: Any) -> str:
    th, en = T[key]
    return (en if lang == "en" else th).format(**values)


# --- postbacks --------------------------------------------------------------------------------------------------

def postback_data(action: str, **values: Any) -> str:
    """'a=pick&c=12': what a button sends back (LINE allows 300 characters)."""
    data = urlencode({"a": action, **{k: v for k, v in values.items() if v is not None}})
    if len(data) > 300:
        raise ValueError("postback data over 300 characters")
    return data


def parse_postback(data: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(data or "", keep_blank_values=True).items()}


def postback(label: str, data: str, display: str | None = None) -> dict:
    action = {"type": "postback", "label": label[:20], "data": data}
    if display:
        action["displayText"] = display[:300]
    return action


def uri(label: str, link: str) -> dict:
    if len(link) > URI_MAX:
        raise ValueError("a URI action's uri is at most 1000 characters")
    return {"type": "uri", "label": label[:40], "uri": link}


# --- quick replies and texts ------------------------------------------------------------------------------------

def quick_reply_items(lang: str = "th") -> list[dict]:
    """The standard menu: check a message, latest fake news, how to report, notification settings."""
    return [{"type": "action", "action": postback(t(key, lang), postback_data(key), t(key, lang))}
            for key in ("check", "latest", "howto", "notify")]


def with_quick_replies(message: dict, items: list[dict] | None = None, lang: str = "th") -> dict:
    return {**message, "quickReply": {"items": (items if items is not None else quick_reply_items(lang))[:13]}}


def text(body: str, *, lang: str = "th", quick: bool = True) -> dict:
    message = {"type": "text", "text": body[:TEXT_MAX]}
    return with_quick_replies(message, lang=lang) if quick else message


def _choice(key: str, lang: str, *, yes: str, no: str, action: str) -> dict:
    items = [{"type": "action", "action": postback(label, postback_data(action, v=value), label)}
             for label, value in ((yes, "yes"), (no, "no"))]
    return with_quick_replies({"type": "text", "text": t(key, lang)}, items)


def whole_message_question(lang: str = "th") -> dict:
    return _choice("whole", lang, yes=t("yes", lang), no=t("no", lang), action="whole")


def consent_question(lang: str = "th") -> dict:
    return _choice("consent", lang, yes=t("consent_yes", lang), no=t("consent_no", lang), action="consent")


def notify_settings(body: str, *, lang: str = "th") -> dict:
    items = [{"type": "action", "action": postback(t(key, lang), postback_data("notify", v=value), t(key, lang))}
             for key, value in (("notify_on", "on"), ("notify_off", "off"))]
    return with_quick_replies({"type": "text", "text": body[:TEXT_MAX]}, items)


# --- verdicts ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class VerdictCard:
    """What a citizen sees of a published verdict."""

    claim_id: int
    label: str  # fake, distorted, true, unverifiable
    claim: str
    explanation: str = ""
    agency: str | None = None
    published_at: dt.datetime | None = None
    label_name: str | None = None  # the label's name from settings.verdict_labels (default: LABELS)
    colour: str | None = None  # its colour as #RRGGBB (default: LABELS)

    def name(self, lang: str) -> str:
        return self.label_name or label_text(self.label, lang)

    @property
    def hex_colour(self) -> str:
        return self.colour or LABELS.get(self.label, LABELS["unverifiable"])[2]


@dataclass(frozen=True)
class Candidate:
    card: VerdictCard
    similarity: float  # 0..1


def verdict_url(base_url: str, claim_id: int) -> str:
    return f"{base_url.rstrip('/')}/verdicts/{claim_id}"


def label_text(label: str, lang: str) -> str:
    th, en, _ = LABELS.get(label, LABELS["unverifiable"])
    return en if lang == "en" else th


def labelled(card: VerdictCard, lang: str, claim: str | None = None) -> str:
    """'<label>: <claim>', without saying the label twice when the headline starts with it ('ข่าวปลอม อย่าแชร์! …')."""
    claim = card.claim if claim is None else claim
    name = card.name(lang)
    return claim if name and claim.casefold().startswith(name.casefold()) else f"{name}: {claim}"


def share_uri(card: VerdictCard, link: str, lang: str) -> str:
    """LINE's share URL scheme: opens the friend picker with the label, the claim (shortened to fit) and link."""
    claim = card.claim[:200]
    while True:
        short = claim if len(claim) == len(card.claim) else claim.rstrip() + "…"
        target = "https://line.me/R/share?text=" + quote(f"{labelled(card, lang, short)}\n{link}", safe="")
        if len(target) <= URI_MAX or not claim:
            return target
        claim = claim[:max(0, len(claim) - 20)]


def _row(name: str, value: str) -> dict:
    return {"type": "box", "layout": "baseline", "spacing": "sm", "contents": [
        {"type": "text", "text": name, "size": "sm", "color": GREY, "flex": 2},
        {"type": "text", "text": value or "–", "size": "sm", "wrap": True, "flex": 5}]}


def _header(card: VerdictCard, lang: str, extra: str | None = None) -> dict:
    contents = [{"type": "text", "text": card.name(lang), "color": "#FFFFFF", "weight": "bold", "size": "xl"}]
    contents.append({"type": "text", "text": extra or t("result", lang), "color": "#FFFFFF", "size": "sm"})
    return {"type": "box", "layout": "vertical", "backgroundColor": card.hex_colour, "paddingAll": "16px",
            "contents": contents}


def verdict_bubble(card: VerdictCard, *, base_url: str, lang: str = "th", tz: str = "Asia/Bangkok") -> dict:
    """A bubble: label and colour, the claim, two lines of explanation, the agency, the Thai date, link, share."""
    link = verdict_url(base_url, card.claim_id)
    colour = card.hex_colour
    body: list[dict] = [{"type": "text", "text": card.claim[:500] or "–", "weight": "bold", "wrap": True,
                         "maxLines": 4}]
    if card.explanation.strip():
        body.append({"type": "text", "text": card.explanation.strip()[:300], "size": "sm", "color": GREY,
                     "wrap": True, "maxLines": 2})
    body += [{"type": "separator", "margin": "md"},
             _row(t("agency", lang), card.agency or "–"),
             _row(t("date", lang), format_datetime(card.published_at, lang, tz, with_time=False))]
    return {"type": "bubble", "size": "mega", "header": _header(card, lang),
            "body": {"type": "box", "layout": "vertical", "spacing": "md", "contents": body},
            "footer": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": [
                {"type": "button", "style": "primary", "color": colour, "action": uri(t("read", lang), link)},
                {"type": "button", "style": "link", "action": uri(t("share", lang), share_uri(card, link, lang))}]}}


def alt_text(value: str) -> str:
    return value if len(value) <= ALT_TEXT_MAX else value[:ALT_TEXT_MAX - 1] + "…"


def verdict_message(card: VerdictCard, *, base_url: str, lang: str = "th", tz: str = "Asia/Bangkok",
                    quick: bool = True) -> dict:
    message = {"type": "flex", "altText": alt_text(labelled(card, lang)),
               "contents": verdict_bubble(card, base_url=base_url, lang=lang, tz=tz)}
    return with_quick_replies(message, lang=lang) if quick else message


def _candidate_bubble(c: Candidate, base_url: str, lang: str) -> dict:
    card = c.card
    percent = max(0, min(100, round(c.similarity * 100)))
    colour = card.hex_colour
    return {"type": "bubble", "size": "kilo", "header": _header(card, lang, t("similar", lang, n=percent)),
            "body": {"type": "box", "layout": "vertical", "contents": [
                {"type": "text", "text": card.claim[:300] or "–", "wrap": True, "maxLines": 4, "size": "sm"}]},
            "footer": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": [
                {"type": "button", "style": "primary", "color": colour, "height": "sm",
                 "action": postback(t("pick", lang), postback_data("pick", c=card.claim_id), t("pick", lang))},
                {"type": "button", "style": "link", "height": "sm",
                 "action": uri(t("read", lang), verdict_url(base_url, card.claim_id))}]}}


def candidates_message(candidates: list[Candidate], *, base_url: str, lang: str = "th") -> dict:
    """A carousel of at most five plausible matches, with 'none of these' as the first quick reply."""
    shown = sorted(candidates, key=lambda c: -c.similarity)[:MAX_CANDIDATES]
    if not shown:
        raise ValueError("no candidates to show")
    none = {"type": "action", "action": postback(t("none", lang), postback_data("none"), t("none", lang))}
    message = {"type": "flex", "altText": alt_text(t("found", lang, n=len(shown))),
               "contents": {"type": "carousel", "contents": [_candidate_bubble(c, base_url, lang) for c in shown]}}
    return with_quick_replies(message, [none, *quick_reply_items(lang)])
