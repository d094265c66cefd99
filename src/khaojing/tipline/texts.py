"""What the bot says, in Thai and in English (chosen by the requester's language)."""

from __future__ import annotations

from typing import Any

TEXTS: dict[str, tuple[str, str]] = {
    "greeting": (
        "สวัสดี ขอบคุณที่เพิ่ม {center} เป็นเพื่อน 🙏\n"
        "ได้รับข่าวที่ไม่แน่ใจ? ส่งต่อข้อความ รูปภาพ หรือลิงก์มาที่นี่ได้เลย "
        "เราจะตรวจสอบกับข่าวที่ตรวจสอบแล้ว และแจ้งผลให้ทราบ",
        "Hello, and thank you for adding {center} as a friend 🙏\n"
        "Received news you are not sure about? Forward the message, picture or link here: we check it against "
        "the stories already verified and tell you the result."),
    "howto": (
        "วิธีแจ้งข่าว\n1. กดค้างที่ข้อความหรือรูปที่ได้รับ แล้วเลือก \"ส่งต่อ\"\n2. เลือกบัญชี {center}\n"
        "3. รอผล หากยังไม่เคยตรวจสอบ เจ้าหน้าที่จะตรวจสอบและแจ้งผลกลับทาง LINE\n"
        "แจ้งทางเว็บไซต์ก็ได้ที่ {base_url}/report",
        "How to report\n1. Long-press the message or picture you received and choose \"Forward\"\n"
        "2. Pick {center}\n3. Wait for the answer: if it was never checked, our staff check it and tell you "
        "here on LINE\nYou can also report on the web: {base_url}/report"),
    "sticker": ("ขอบคุณสำหรับสติกเกอร์ 😊 มีข่าวที่อยากให้ช่วยตรวจสอบไหม? ส่งข้อความหรือรูปมาได้เลย",
                "Thanks for the sticker 😊 Any news you want us to check? Send the message or picture."),
    "unsupported": ("ขออภัย ตอนนี้ยังตรวจสอบ{what}ไม่ได้ กรุณาส่งเป็นข้อความ รูปภาพ หรือลิงก์แทน",
                    "Sorry, we cannot check {what} yet. Please send text, a picture or a link instead."),
    "received": ("ได้รับข้อความแล้ว กำลังตรวจสอบ 🔎\nรหัสติดตาม: {code}\nติดตามผลได้ที่ {url}",
                 "Received, we are checking it 🔎\nTracking code: {code}\nFollow it at {url}"),
    "too_large": ("ขออภัย รูปนี้มีขนาดใหญ่เกินกว่าที่ระบบรับได้ ลองส่งภาพหน้าจอหรือรูปที่เล็กลง",
                  "Sorry, this picture is too large for us. Try a screenshot or a smaller picture."),
    "bad_image": ("ขออภัย เปิดรูปนี้ไม่ได้ ลองส่งเป็นรูปภาพ JPEG หรือ PNG หรือส่งภาพหน้าจอแทน",
                  "Sorry, we could not open this picture. Try a JPEG or PNG picture, or a screenshot."),
    "image_gone": ("ขออภัย ดึงรูปนี้จาก LINE ไม่ได้ กรุณาส่งรูปอีกครั้ง",
                   "Sorry, we could not get this picture from LINE. Please send it again."),
    "too_long": ("ข้อความยาวเกินไป กรุณาส่งเฉพาะส่วนที่ต้องการให้ตรวจสอบ",
                 "The message is too long. Please send only the part you want us to check."),
    "empty": ("ส่งข้อความ รูปภาพ หรือลิงก์ที่ต้องการตรวจสอบมาได้เลย",
              "Send the message, picture or link you want us to check."),
    "rate_limited": ("ส่งข้อความเข้ามาหลายข้อความในเวลาสั้น ๆ ขอเวลาสักครู่ แล้วค่อยส่งใหม่อีกครั้งนะ",
                     "You sent many messages in a short time. Please wait a minute, then send again."),
    "latest": ("ดูข่าวปลอมล่าสุดที่ตรวจสอบแล้วได้ที่ {base_url}", "See the latest verified fake news at {base_url}"),
    "notify_status_on": ("การแจ้งผลการตรวจสอบทาง LINE: เปิดอยู่", "Fact-check notifications on LINE: on"),
    "notify_status_off": ("การแจ้งผลการตรวจสอบทาง LINE: ปิดอยู่", "Fact-check notifications on LINE: off"),
    "notify_on": ("เปิดการแจ้งเตือนแล้ว เราจะแจ้งผลเมื่อข่าวที่คุณถามตรวจสอบเสร็จ",
                  "Notifications are on: we will tell you when a story you asked about is checked."),
    "notify_off": ("ปิดการแจ้งเตือนแล้ว เราจะไม่ส่งผลการตรวจสอบมาอีก จนกว่าคุณจะเปิดใหม่",
                   "Notifications are off: we will not send you results until you turn them on again."),
    "chatter": ("สวัสดีครับ 😊 มีข่าวที่ไม่แน่ใจไหม? ส่งต่อข้อความ รูปภาพ หรือลิงก์มาให้ตรวจสอบได้เลย",
                "Hello 😊 Got news you are not sure about? Forward the message, picture or link and we check it."),
    "thanks": ("ยินดีครับ 🙏 ได้รับข่าวที่ไม่แน่ใจเมื่อไร ส่งต่อมาให้ตรวจสอบได้ตลอดเลย",
               "You're welcome 🙏 Whenever you get news you are not sure about, forward it to us."),
    "small_talk": ("รับทราบครับ 😊 มีข่าวที่ไม่แน่ใจ ส่งต่อข้อความ รูปภาพ หรือลิงก์มาให้ตรวจสอบได้เลย",
                   "All right 😊 If you get news you are not sure about, forward the message, picture or link."),
    "checking": ("เรื่องนี้มีผู้แจ้งเข้ามาแล้ว และเจ้าหน้าที่กำลังตรวจสอบอยู่ 🔎\n"
                 "เมื่อตรวจสอบเสร็จ เราจะแจ้งผลให้ทราบทาง LINE\nรหัสติดตาม: {code}",
                 "Others have reported this too and our staff are checking it 🔎\n"
                 "We will tell you the result here on LINE.\nTracking code: {code}"),
    "filed": ("ส่งเรื่องให้เจ้าหน้าที่ตรวจสอบแล้ว 🙏 เมื่อตรวจสอบเสร็จ เราจะแจ้งผลให้ทราบทาง LINE\n"
              "รหัสติดตาม: {code}\nติดตามผลได้ที่ {url}",
              "Sent to our staff for checking 🙏 We will tell you the result here on LINE.\n"
              "Tracking code: {code}\nFollow it at {url}"),
    "whole_no": ("ได้เลย ส่งต่อข้อความทั้งหมดมาในข้อความเดียว แล้วเราจะตรวจสอบให้",
                 "All right: forward the whole message in one piece and we will check it."),
    "not_filed": ("รับทราบ ไม่ได้ส่งเรื่องนี้ตรวจสอบ หากเปลี่ยนใจ ส่งข้อความมาใหม่ได้ทุกเมื่อ",
                  "Understood, we did not file it. If you change your mind, send the message again."),
    "expired": ("คำถามนี้หมดเวลาแล้ว กรุณาส่งข้อความที่ต้องการตรวจสอบมาอีกครั้ง",
                "This question has expired. Please send the message you want checked again."),
    "group_hint": ("ส่งข้อความที่ต้องการตรวจสอบมาทางแชตส่วนตัวกับ {center} ได้เลย",
                   "Send the message you want checked to {center} in a one-to-one chat."),
    "notify_intro": ("ข่าวที่คุณเคยสอบถามตรวจสอบเสร็จแล้ว ผลเป็นดังนี้ 👇",
                     "A story you asked about has been checked. Here is the result 👇"),
    "notify_update": ("ผลการตรวจสอบข่าวที่คุณเคยสอบถามได้รับการแก้ไขแล้ว ผลล่าสุดเป็นดังนี้ 👇",
                      "The fact-check of a story you asked about was corrected. The latest result 👇"),
}
WHAT = {"video": ("วิดีโอ", "videos"), "audio": ("ไฟล์เสียง", "audio"), "location": ("ตำแหน่งที่ตั้ง", "locations"),
        "file": ("ไฟล์", "files")}


def say(key: str, lang: str = "th", **values: Any) -> str:
    th, en = TEXTS[key]
    return (en if lang == "en" else th).format(**values)


def what(kind: str, lang: str = "th") -> str:
    th, en = WHAT.get(kind, ("ข้อความประเภทนี้", "this kind of message"))
    return en if lang == "en" else th
