"""The catalogue of user-facing texts in Thai and English: each area registers its messages (its messages*.py),
`t(key, lang)` and `say(key, lang, params)` look them up. A neutral module, so that the domain (errors, services'
refusals) never imports the web layer; `khaojing.web.i18n` re-exports it for the templates."""

from __future__ import annotations

LANGUAGES = ("th", "en")

MESSAGES: dict[str, dict[str, str]] = {
    "app.name": {"th": "ข่าวจริง", "en": "khaojing"},
    "nav.check": {"th": "ตรวจสอบข้อความ", "en": "Check a message"},
    "nav.verdicts": {"th": "ผลการตรวจสอบ", "en": "Verdicts"},
    "nav.report": {"th": "แจ้งข่าวที่สงสัย", "en": "Report a message"},
    "nav.track": {"th": "ติดตามเรื่อง", "en": "Track a report"},
    "nav.console": {"th": "สำหรับเจ้าหน้าที่", "en": "Staff console"},
    "nav.inbox": {"th": "ข้อความแจ้ง", "en": "Reports"},
    "nav.audit": {"th": "บันทึกการใช้งาน", "en": "Audit log"},
    "nav.logout": {"th": "ออกจากระบบ", "en": "Log out"},
    "nav.login": {"th": "เข้าสู่ระบบ", "en": "Log in"},
    "lang.switch": {"th": "English", "en": "ภาษาไทย"},
    "skip.content": {"th": "ข้ามไปยังเนื้อหา", "en": "Skip to content"},
    "error.title": {"th": "เกิดข้อผิดพลาด", "en": "Something went wrong"},
    "error.back": {"th": "กลับหน้าแรก", "en": "Back to the home page"},
    "error.404": {"th": "ไม่พบหน้าที่ต้องการ", "en": "Page not found"},
    "error.bad_fields": {"th": "ค่าในช่อง {fields} ไม่ถูกต้อง กรุณาตรวจสอบลิงก์หรือแบบฟอร์มแล้วลองใหม่",
                         "en": "The value of {fields} is not valid; check the link or the form and try again."},
    "error.back_console": {"th": "กลับหน้าหลักของเจ้าหน้าที่", "en": "Back to the console"},
    "error.500": {"th": "ระบบขัดข้องชั่วคราว กรุณาลองใหม่อีกครั้ง",
                  "en": "A temporary problem occurred; please try again"},
    "footer.about": {"th": "ระบบโอเพนซอร์สสำหรับศูนย์ต่อต้านข่าวปลอม",
                     "en": "Open-source platform for anti-fake-news centers"},
    # report statuses, as a citizen and as staff read them
    "status.new": {"th": "ได้รับเรื่องแล้ว รอคัดกรอง", "en": "Received, waiting for screening"},
    "status.received": {"th": "อยู่ระหว่างคัดกรอง", "en": "Being screened"},
    "status.screened": {"th": "คัดกรองแล้ว", "en": "Screened"},
    "status.grouped": {"th": "อยู่ระหว่างตรวจสอบ", "en": "Being verified"},
    "status.answered": {"th": "ตรวจสอบแล้ว", "en": "Answered"},
    "status.rejected": {"th": "ไม่เข้าข่ายการตรวจสอบ", "en": "Not taken up for verification"},
    "channel.webform": {"th": "เว็บไซต์", "en": "Web form"},
    "channel.api": {"th": "หน่วยงานพันธมิตร (API)", "en": "Partner API"},
    "channel.line": {"th": "LINE", "en": "LINE"},
    "channel.feed": {"th": "การติดตามสื่อสังคม", "en": "Social listening"},
    "channel.import": {"th": "นำเข้าข้อมูล", "en": "Import"},
    "role.admin": {"th": "ผู้ดูแลระบบ", "en": "Administrator"},
    "role.editor": {"th": "บรรณาธิการ", "en": "Editor"},
    "role.analyst": {"th": "นักวิเคราะห์", "en": "Analyst"},
    "role.agency_officer": {"th": "เจ้าหน้าที่หน่วยงาน", "en": "Agency officer"},
    "verdict.fake": {"th": "ข่าวปลอม", "en": "Fake"},
    "verdict.distorted": {"th": "ข่าวบิดเบือน", "en": "Distorted"},
    "verdict.true": {"th": "ข่าวจริง", "en": "True"},
    "verdict.unverifiable": {"th": "ไม่สามารถยืนยันได้", "en": "Unverifiable"},
    # a number field (web/forms.py)
    "form.err.number": {"th": "กรุณาใส่ตัวเลข (ไม่ใช่ “{value}”)", "en": "Type a number (not “{value}”)."},
    # date fields typed as text (templates/_date_input.html; parsing in khaojing.thai.dates)
    "date.hint": {"th": "วว/ดด/ปปปป (พ.ศ.)", "en": "dd/mm/yyyy"},
    "date.hint_time": {"th": "วว/ดด/ปปปป ชช:นน (พ.ศ.)", "en": "dd/mm/yyyy hh:mm"},
    "date.bad": {"th": "อ่านวันที่นี้ไม่ได้ กรุณาพิมพ์ วัน/เดือน/ปี พ.ศ. เช่น 23/07/2568",
                 "en": "This is not a date we can read: type day/month/year, e.g. 23/07/2025"},
    "date.bad_time": {"th": "อ่านวันเวลานี้ไม่ได้ กรุณาพิมพ์ วัน/เดือน/ปี พ.ศ. และเวลา เช่น 25/07/2568 16:30",
                      "en": "This is not a date and time we can read: type day/month/year and time, "
                            "e.g. 25/07/2025 16:30"},
}


def register(messages: dict[str, dict[str, str]]) -> None:
    """Add an area's messages; every message must exist in Thai and English."""
    for key, texts in messages.items():
        missing = [lang for lang in LANGUAGES if not texts.get(lang)]
        if missing:
            raise ValueError(f"message {key!r} lacks {missing}")
        if key in MESSAGES and MESSAGES[key] != texts:
            raise ValueError(f"message {key!r} is registered twice with different texts")
        MESSAGES[key] = texts


def t(key: str, lang: str = "th", **params: object) -> str:
    texts = MESSAGES.get(key)
    if texts is None:
        return key
    text = texts.get(lang) or texts["th"]
    return text.format(**params) if params else text


def say(key: str, lang: str, params: dict | None = None) -> str:
    """A registered text with its parameters; a missing or odd parameter shows the bare text, never an error.
    On an English page a parameter `x_en` (an agency's English name, when it has one) stands in for `x`; a parameter
    `x_key` is a message key, shown as `x` in the page's language (a state, a status, a label); `x_keys` is a list of
    keys, shown as `x`, each in the page's language, separated by commas ("“ตรวจสอบ”, “เขียนผล”")."""
    values = {str(k): v for k, v in (params or {}).items()}
    if lang == "en":
        values.update({k[:-3]: v for k, v in list(values.items()) if k.endswith("_en") and v})
    values.update({k[:-4]: _key_text(v, lang)
                   for k, v in list(values.items()) if k.endswith("_key") and isinstance(v, str)})
    values.update({k[:-5]: ", ".join(f"“{_key_text(key, lang)}”" for key in v if isinstance(key, str))
                   for k, v in list(values.items()) if k.endswith("_keys") and isinstance(v, (list, tuple))})
    try:
        return t(key, lang, **values)
    except (KeyError, IndexError, ValueError, AttributeError):
        return t(key, lang)


def _key_text(key: str, lang: str) -> str:
    return t(key, lang) if key in MESSAGES else key.rsplit(".", 1)[-1]


def size_text(size: int) -> str:
    """Bytes as people read them (decimal, as the limits are set): '60 MB', '1.5 MB', '800 KB'."""
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f}".removesuffix(".0") + " MB"
    return f"{max(1, round(size / 1000))} KB"


def pick_language(requested: str | None, default: str = "th") -> str:
    return requested if requested in LANGUAGES else default
