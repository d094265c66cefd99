"""Thai and English texts of the public verdict pages, lists, feeds and share cards."""

from __future__ import annotations

from khaojing.messages import register

register({
    "pub.verdicts": {"th": "ผลการตรวจสอบข่าว", "en": "Fact-check verdicts"},
    "pub.verdicts_lead": {"th": "ข่าวที่{center}ตรวจสอบกับหน่วยงานที่รับผิดชอบแล้ว",
                          "en": "Claims the {center} has checked with the responsible agencies"},
    "pub.verdict": {"th": "ผลการตรวจสอบ", "en": "Verdict"},
    "pub.claim": {"th": "ข้อความที่ส่งต่อกัน", "en": "The claim as it circulated"},
    "pub.explanation": {"th": "ข้อเท็จจริง", "en": "The facts"},
    "pub.sources": {"th": "แหล่งข้อมูล", "en": "Sources"},
    "pub.statement": {"th": "คำชี้แจงของหน่วยงาน", "en": "Agency statement"},
    "pub.document": {"th": "เอกสาร", "en": "Document"},
    "pub.agency": {"th": "หน่วยงานที่ตรวจสอบ", "en": "Verifying agency"},
    "pub.published": {"th": "เผยแพร่เมื่อ", "en": "Published"},
    "pub.updated": {"th": "แก้ไขล่าสุด", "en": "Last corrected"},
    "pub.topic": {"th": "หมวดหมู่", "en": "Topic"},
    "pub.history": {"th": "ประวัติการแก้ไข", "en": "Correction history"},
    "pub.version": {"th": "ฉบับที่ {n}", "en": "Version {n}"},
    "pub.current": {"th": "ฉบับปัจจุบัน", "en": "current"},
    "pub.first_version": {"th": "เผยแพร่ครั้งแรก", "en": "First published"},
    "pub.share": {"th": "แชร์ข้อเท็จจริงนี้", "en": "Share these facts"},
    "pub.share_line": {"th": "แชร์ทาง LINE", "en": "Share on LINE"},
    "pub.share_facebook": {"th": "แชร์ทาง Facebook", "en": "Share on Facebook"},
    "pub.share_x": {"th": "แชร์ทาง X", "en": "Share on X"},
    "pub.copy_link": {"th": "คัดลอกลิงก์", "en": "Copy the link"},
    "pub.card_alt": {"th": "ภาพสรุปผลการตรวจสอบ: {title}", "en": "Verdict card: {title}"},
    "pub.download_card": {"th": "ดาวน์โหลดภาพสำหรับแชร์", "en": "Download the share image"},
    "pub.search": {"th": "ค้นหา", "en": "Search"},
    "pub.search_hint": {"th": "คำค้น เช่น เงินเยียวยา", "en": "Words, e.g. เงินเยียวยา"},
    "pub.all_topics": {"th": "ทุกหมวดหมู่", "en": "All topics"},
    "pub.all_labels": {"th": "ทุกผลการตรวจสอบ", "en": "All verdicts"},
    "pub.since": {"th": "ตั้งแต่วันที่", "en": "From"},
    "pub.until": {"th": "ถึงวันที่", "en": "To"},
    "pub.found": {"th": "พบ {n} เรื่อง", "en": "{n} found"},
    "pub.none": {"th": "ไม่พบผลการตรวจสอบที่ตรงกับเงื่อนไข", "en": "No verdict matches these filters"},
    "pub.prev": {"th": "ก่อนหน้า", "en": "Previous"},
    "pub.next": {"th": "ถัดไป", "en": "Next"},
    "pub.page_of": {"th": "หน้า {page} จาก {pages}", "en": "Page {page} of {pages}"},
    "pub.latest": {"th": "ผลการตรวจสอบล่าสุด", "en": "Latest verdicts"},
    "pub.most_asked": {"th": "เรื่องที่มีผู้สอบถามมากที่สุดในสัปดาห์นี้", "en": "Most asked this week"},
    "pub.asked_n": {"th": "สอบถาม {n} ครั้งในสัปดาห์นี้", "en": "asked {n} times this week"},
    "pub.asked_1": {"th": "สอบถาม 1 ครั้งในสัปดาห์นี้", "en": "asked once this week"},
    "pub.checked_on": {"th": "ตรวจสอบเมื่อ {date}", "en": "checked {date}"},
    "pub.all_verdicts": {"th": "ดูผลการตรวจสอบทั้งหมด", "en": "All verdicts"},
    "pub.feeds": {"th": "ติดตามผ่านฟีด", "en": "Follow by feed"},
    "pub.track_verdict": {"th": "ผลการตรวจสอบเรื่องนี้", "en": "The verdict on this report"},
    "pub.read_verdict": {"th": "อ่านผลการตรวจสอบ", "en": "Read the verdict"},
})

from khaojing.publication import messages_site as _site  # noqa: E402,F401  (about, open data, subscriptions, e-mails)
