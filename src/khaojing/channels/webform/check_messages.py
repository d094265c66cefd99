"""Thai and English texts of the public "check a message" page."""

from __future__ import annotations

from khaojing.messages import register

register({
    "public.check.title": {"th": "ตรวจสอบข้อความ", "en": "Check a message"},
    "public.check.intro": {
        "th": "วางข้อความ แนบรูปภาพ หรือใส่ลิงก์ที่ได้รับ เราจะค้นหาจากข่าวที่ตรวจสอบแล้วให้ทันที",
        "en": "Paste the message, attach a picture or give the link you received: we look it up among the "
              "stories already checked, at once."},
    "public.check.text": {"th": "ข้อความ", "en": "Message"},
    "public.check.image": {"th": "รูปภาพ (ไม่บังคับ)", "en": "Picture (optional)"},
    "public.check.url": {"th": "ลิงก์ (ไม่บังคับ)", "en": "Link (optional)"},
    "public.check.submit": {"th": "ตรวจสอบ", "en": "Check"},
    "public.check.answer": {"th": "ข้อความนี้ตรงกับข่าวที่ตรวจสอบแล้ว", "en": "This matches a story already checked"},
    "public.check.similar": {"th": "ข่าวที่ตรวจสอบแล้วที่คล้ายกัน", "en": "Similar stories already checked"},
    "public.check.percent": {"th": "คล้าย {n}%", "en": "{n}% similar"},
    "public.check.read": {"th": "อ่านผลการตรวจสอบ", "en": "Read the fact-check"},
    "public.check.agency": {"th": "หน่วยงานที่ตรวจสอบ", "en": "Verifying agency"},
    "public.check.waiting": {
        "th": "มีผู้แจ้งเรื่องนี้เข้ามาแล้ว และเจ้าหน้าที่กำลังตรวจสอบอยู่ แจ้งเข้ามาด้วยเพื่อรับผลเมื่อตรวจสอบเสร็จ",
        "en": "Others have reported this and our staff are checking it. File it too to follow the result."},
    "public.check.none": {
        "th": "ยังไม่พบผลการตรวจสอบของข้อความนี้ แจ้งให้เจ้าหน้าที่ตรวจสอบได้",
        "en": "We have no fact-check of this message yet. You can ask our staff to check it."},
    "public.check.chatter": {
        "th": "ข้อความนี้ดูไม่เหมือนข่าวที่ต้องตรวจสอบ หากเป็นข่าวที่ได้รับมา แจ้งให้เจ้าหน้าที่ตรวจสอบได้",
        "en": "This does not look like a news claim. If it is news you received, you can ask us to check it."},
    "public.check.file": {"th": "แจ้งให้ตรวจสอบ", "en": "File it for checking"},
    "public.check.empty": {"th": "กรุณาใส่ข้อความ รูปภาพ หรือลิงก์", "en": "Please give a message, a picture or a link"},
    "public.check.bad_image": {"th": "เปิดรูปนี้ไม่ได้ หรือรูปมีขนาดใหญ่เกินไป",
                               "en": "This picture could not be opened or is too large"},
    "public.check.bad_url": {"th": "ลิงก์ไม่ถูกต้อง", "en": "The link is not valid"},
    "public.check.csrf": {"th": "แบบฟอร์มหมดอายุ กรุณาส่งอีกครั้ง", "en": "The form expired; please send it again"},
})
