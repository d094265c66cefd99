"""Thai and English texts of the tipline console pages (LINE blocklist, Flex message preview)."""

from __future__ import annotations

from khaojing.messages import register

register({
    "line.nav": {"th": "LINE", "en": "LINE"},
    "line.tab.blocklist": {"th": "รายชื่อที่ถูกบล็อก", "en": "Blocklist"},
    "line.tab.preview": {"th": "ตัวอย่างข้อความ", "en": "Message preview"},
    "line.block.title": {"th": "ผู้ใช้ LINE ที่ถูกบล็อก", "en": "Blocked LINE users"},
    "line.block.intro": {
        "th": "ข้อความจากผู้ใช้หรือกลุ่มที่ถูกบล็อกจะไม่ได้รับคำตอบ และไม่ถูกบันทึกเป็นเรื่องร้องเรียน "
              "ผู้ใช้แสดงด้วยรหัสนามแฝง (แฮชของรหัส LINE) ระบบไม่เก็บชื่อผู้ใช้",
        "en": "Messages from a blocked user or group get no answer and are never filed as reports. Users are shown "
              "by their pseudonym (a keyed hash of the LINE id); no names are kept."},
    "line.block.err.ambiguous": {"th": "มีผู้ส่งหลายรายที่ขึ้นต้นด้วยอักษรเหล่านี้ กรุณาวางนามแฝงให้ยาวขึ้น",
                                 "en": "Several senders start with these characters: paste more of the pseudonym."},
    "line.block.err.no_report": {"th": "ไม่พบข้อความแจ้งที่มีรหัสติดตามนี้", "en": "No report has this tracking code."},
    "line.block.err.anonymous": {"th": "ข้อความแจ้งนี้ไม่มีผู้ส่งให้บล็อก (ไม่ระบุตัวตน)",
                                 "en": "This report has no sender to block (anonymous)."},
    "line.block.err.nobody": {"th": "ไม่พบผู้ใช้หรือกลุ่ม LINE ที่ตรงกับรหัสติดตาม นามแฝง หรือรหัสนี้",
                              "en": "No LINE sender or group matches this tracking code, pseudonym or id."},
    "line.block.err.reason": {"th": "กรุณาระบุเหตุผล", "en": "A reason is required."},
    "line.block.err.reason_long": {"th": "เหตุผลยาวเกินไป", "en": "The reason is too long."},
    "line.block.err.days": {"th": "บล็อกได้ 1 ถึง {max} วัน หรือจนกว่าจะยกเลิก",
                            "en": "Block for 1 to {max} days, or until lifted."},
    "line.block.err.already": {"th": "{who} ถูกบล็อกอยู่แล้ว", "en": "{who} is blocked already."},
    "line.block.err.no_block": {"th": "ไม่พบรายการบล็อกนี้", "en": "This block was not found."},
    "line.block.count": {"th": "บล็อกอยู่ {n} รายการ", "en": "{n} active blocks"},
    "line.block.empty": {"th": "ยังไม่มีผู้ใช้ที่ถูกบล็อก", "en": "Nobody is blocked."},
    "line.block.who": {"th": "ผู้ใช้หรือกลุ่ม", "en": "User or group"},
    "line.block.kind.user": {"th": "ผู้ใช้", "en": "User"},
    "line.block.kind.group": {"th": "กลุ่ม", "en": "Group"},
    "line.block.reason": {"th": "เหตุผล", "en": "Reason"},
    "line.block.by": {"th": "บล็อกโดย", "en": "Blocked by"},
    "line.block.at": {"th": "เมื่อ", "en": "When"},
    "line.block.until": {"th": "ถึงวันที่", "en": "Until"},
    "line.block.forever": {"th": "จนกว่าจะยกเลิก", "en": "Until lifted"},
    "line.block.expired": {"th": "หมดอายุแล้ว", "en": "Expired"},
    "line.block.new": {"th": "บล็อกผู้ใช้หรือกลุ่ม", "en": "Block a user or group"},
    "line.block.target": {"th": "รหัสติดตาม รหัสนามแฝง หรือรหัส LINE", "en": "Tracking code, pseudonym or LINE id"},
    "line.block.target_help": {
        "th": "เช่น KJ-ABCD-2345 (บล็อกผู้ส่งเรื่องนั้น) หรือรหัสนามแฝง 10 ตัวอักษรที่แสดงในหน้าเรื่องร้องเรียน "
              "หรือรหัส LINE ที่ขึ้นต้นด้วย U / C / R (ระบบแปลงเป็นแฮชทันที ไม่เก็บรหัสจริง)",
        "en": "E.g. KJ-ABCD-2345 (blocks that report's sender), the 10-character pseudonym shown on a report, or a "
              "LINE id starting with U / C / R (hashed at once, never stored)."},
    "line.block.days": {"th": "ระยะเวลา", "en": "For"},
    "line.block.days_forever": {"th": "จนกว่าจะยกเลิก", "en": "Until lifted"},
    "line.block.days_n": {"th": "{n} วัน", "en": "{n} days"},
    "line.block.submit": {"th": "บล็อก", "en": "Block"},
    "line.block.lift": {"th": "ยกเลิกการบล็อก", "en": "Unblock"},
    "line.block.lift_reason": {"th": "เหตุผลที่ยกเลิก", "en": "Reason to unblock"},
    "line.block.readonly": {"th": "นักวิเคราะห์ดูรายการได้ การบล็อกและยกเลิกทำได้โดยบรรณาธิการหรือผู้ดูแลระบบ",
                            "en": "Analysts may look; editors and administrators block and unblock."},
    "line.block.recent": {"th": "ผู้ส่งเรื่องทาง LINE ล่าสุด", "en": "Recent LINE senders"},
    "line.block.recent_empty": {"th": "ยังไม่มีเรื่องร้องเรียนทาง LINE", "en": "No reports from LINE yet."},
    "line.block.report": {"th": "เรื่องร้องเรียน", "en": "Report"},
    "line.block.text": {"th": "ข้อความ", "en": "Text"},
    "line.block.sender": {"th": "รหัสนามแฝง", "en": "Pseudonym"},
    "line.block.this": {"th": "บล็อกผู้ส่งนี้", "en": "Block this sender"},
    "line.block.is_blocked": {"th": "ถูกบล็อกแล้ว", "en": "Blocked"},
    "line.block.done": {"th": "บล็อก {who} แล้ว", "en": "{who} is blocked"},
    "line.block.lifted": {"th": "ยกเลิกการบล็อก {who} แล้ว", "en": "{who} is unblocked"},
    "line.preview.title": {"th": "ตัวอย่างข้อความ LINE", "en": "LINE message preview"},
    "line.preview.intro": {
        "th": "แสดงข้อความ Flex ที่บอตจะส่งจริง (สร้างจาก JSON เดียวกับที่ส่งให้ LINE) การ์ดเดียวสำหรับผลการตรวจสอบ "
              "และแบบเลื่อนดูได้เมื่อพบหลายเรื่องที่คล้ายกัน",
        "en": "The Flex message the bot would send, drawn from the same JSON that goes to LINE: one bubble for a "
              "verdict, a carousel when several stories are similar."},
    "line.preview.bubble": {"th": "การ์ดผลการตรวจสอบ", "en": "Verdict bubble"},
    "line.preview.carousel": {"th": "ข่าวที่คล้ายกันหลายเรื่อง", "en": "Several similar stories"},
    "line.preview.pick": {"th": "เลือกผลการตรวจสอบที่เผยแพร่แล้ว", "en": "Pick a published verdict"},
    "line.preview.none": {"th": "ยังไม่มีผลการตรวจสอบที่เผยแพร่", "en": "No verdict is published yet."},
    "line.preview.json": {"th": "JSON ที่ส่งให้ LINE", "en": "JSON sent to LINE"},
    "line.preview.alt": {"th": "ข้อความแทน (altText)", "en": "Alternative text (altText)"},
    "line.preview.language": {"th": "ภาษาของผู้รับ", "en": "Recipient's language"},
    "line.preview.show_carousel": {"th": "ดูแบบหลายเรื่อง", "en": "Show as a carousel"},
    "line.preview.similar_note": {
        "th": "เปอร์เซ็นต์ความคล้ายในตัวอย่างนี้เป็นค่าสมมติ",
        "en": "The similarity percentages in this preview are examples."},
})
