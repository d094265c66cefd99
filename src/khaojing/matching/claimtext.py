"""The part of a text that states the claim: reporting frames ("มีการแชร์ในโลกออนไลน์ว่า …") and question tags
("… จริงหรือคะ") removed, so that a question, a forwarded message and a verdict headline compare as the same claim."""

from __future__ import annotations

import re

_SOURCE = (r"(?:ใน|บน|ทาง|ผ่าน)?\s*(?:โลก|สังคม|กลุ่ม|สื่อ)?\s*"
           r"(?:ออนไลน์|โซเชียล(?:มีเดีย)?|social|ไลน์|line|เฟซบุ๊ก|เฟสบุ๊ค|facebook|"
           r"ติ๊กต๊อก|tiktok|ทวิตเตอร์|twitter|youtube|ยูทูบ|อินเทอร์เน็ต|สื่อ)?(?:ต่าง ?ๆ)?")
_VERB = r"(?:แชร์|เผยแพร่|ส่งต่อ|โพสต์|โพสท์|โพสต์|ปรากฏ|อ้าง|กล่าวอ้าง|แนะนำ|ระบุ|ลงข่าว)"
_VIDEO = r"(?:วิดีโอ|วีดีโอ|วีดิโอ|วิดิโอ|วีดีโอ)"
_FRAME = re.compile(
    r"^(?:(?:จาก|ตาม)?(?:กรณี)?(?:ที่)?\s*)?(?:ได้)?มี(?:การ|ข่าว|ข้อความ|คลิป(?:" + _VIDEO + r")?|ภาพ|โพสต์|โพสท์|ผู้|คน|เพจ)?\s*"
    r"(?:(?:ได้)?" + _VERB + r"(?:กัน)?(?:อย่างแพร่หลาย)?\s*(?:ข้อความ|ข้อมูล|ภาพ|คลิป(?:" + _VIDEO + r")?|" + _VIDEO +
    r"|ข่าว|บทความ)?\s*(?:กัน)?(?:มา)?\s*)+"
    + _SOURCE + r"\s*(?:มา)?(?:ว่า|ระบุว่า|อ้างว่า|โดยระบุว่า|เกี่ยวกับ(?:ประเด็น)?(?:เรื่อง)?|ประเด็น(?:เรื่อง)?|เรื่อง)?\s*[:：]?\s*")
_ASKING = re.compile(r"^(?:อยากทราบ(?:ว่า)?|ขอสอบถาม(?:ว่า)?|สอบถาม(?:ว่า)?|ช่วยตรวจสอบ(?:ให้หน่อย)?(?:ว่า)?|"
                     r"รบกวนตรวจสอบ(?:ว่า)?)\s*")
_TAG = re.compile(r"\s*(?:(?:เป็น)?(?:เรื่อง)?(?:นั้น|นี้|นี่)?\s*(?:เป็น)?(?:เรื่อง)?(?:ได้)?"
                  r"จริง(?:หรือ(?:ไม่|เปล่า)?|ไหม|มั้ย|มั๊ย|รึเปล่า|รึป่าว|หรอ|เหรอ)|"
                  r"หรือ(?:ไม่|เปล่า)|ไหม|มั้ย|มั๊ย)?\s*(?:คะ|ครับ|ค่ะ|คับ|จ้า|จ้ะ|นะคะ|นะครับ)?\s*[?？!.\s]*$")


_TAIL_CHARS = 60
_TAG_HINTS = ("จริง", "หรือ", "ไหม", "มั้ย", "มั๊ย", "คะ", "ครับ", "ค่ะ", "คับ", "จ้", "?", "？", "!", ".")


def claim_core(text: str) -> str:
    """`text` (a match text) without a leading reporting frame or asking phrase and without a question tag; the
    whole text when nothing would be left."""
    core = text.strip()
    asking = _ASKING.match(core)
    if asking:
        core = core[asking.end():]
    framed = _FRAME.match(core)
    if framed and framed.end() >= 6 and framed.end() < len(core):
        core = core[framed.end():]
    head, tail = core[:-_TAIL_CHARS], core[-_TAIL_CHARS:]  # tags are short: look at the end only
    if any(hint in tail for hint in _TAG_HINTS):
        core = (head + _TAG.sub("", tail)).strip()
    return core if len(core) >= 2 else text.strip()
