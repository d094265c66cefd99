"""Thai and English texts of the console's audit log page."""

from khaojing.audit import messages_names  # noqa: F401  (action, actor and data names)
from khaojing.messages import register

register({
    "audit.title": {"th": "บันทึกการใช้งาน", "en": "Audit log"},
    "audit.intro": {"th": "ทุกการเปลี่ยนแปลงในระบบถูกบันทึกต่อกันเป็นสายโซ่แฮช หากมีการแก้ไขหรือลบย้อนหลังจะตรวจพบได้",
                    "en": "Every change is recorded in a hash chain: a later edit or deletion is detected."},
    "audit.chain": {"th": "ความถูกต้องของสายโซ่", "en": "Chain integrity"},
    "audit.chain_ok": {"th": "สายโซ่ถูกต้อง: ตรวจแล้ว {checked} รายการ ไม่พบการแก้ไข ลบ หรือสลับลำดับ",
                       "en": "Chain OK: {checked} events checked; none was edited, removed or reordered."},
    "audit.tail_note": {"th": "การตรวจไม่สามารถรู้ได้ว่ามีการตัดรายการล่าสุดออกจากท้ายสายโซ่หรือไม่ "
                              "ให้เทียบแฮชล่าสุดกับสำเนาที่เก็บไว้ที่อื่น:",
                        "en": "A check cannot tell whether the newest events were cut off the end; "
                              "compare the latest hash with a copy kept elsewhere:"},
    "audit.chain_bad": {"th": "พบปัญหา {count} จุด จากการตรวจ {checked} รายการ",
                        "en": "{count} problems found in {checked} events checked."},
    "audit.chain_more": {"th": "และอีก {count} จุด", "en": "and {count} more"},
    "audit.chain_unchecked": {"th": "ยังไม่ได้ตรวจ (บันทึกมี {total} รายการ การตรวจอาจใช้เวลาราว {seconds} วินาที)",
                              "en": "Not checked yet ({total} events; a check may take about "
                                    "{seconds} seconds)."},
    "audit.chain_at": {"th": "ตรวจเมื่อ {at} ใช้เวลา {seconds} วินาที", "en": "Checked {at} in {seconds} s"},
    "audit.verify": {"th": "ตรวจสายโซ่ทั้งหมด", "en": "Verify the whole chain"},
    "audit.action": {"th": "การกระทำ", "en": "Action"},
    "audit.object_type": {"th": "ชนิดของข้อมูล", "en": "Object type"},
    "audit.time": {"th": "เวลา", "en": "Time"},
    "audit.actor": {"th": "ผู้กระทำ", "en": "Actor"},
    "audit.object": {"th": "ข้อมูลที่เกี่ยวข้อง", "en": "Object"},
    "audit.data": {"th": "รายละเอียด", "en": "Data"},
    "audit.hash": {"th": "แฮช", "en": "Hash"},
    "audit.prev": {"th": "ก่อนหน้า", "en": "prev"},
    "audit.empty": {"th": "ไม่มีบันทึกตามเงื่อนไขนี้", "en": "No events match these filters."},
    "audit.count": {"th": "{total} รายการ", "en": "{total} events"},
    # the object types in the filter (an unknown type shows its code)
    **{f"audit.type.{k}": {"th": th, "en": en} for k, (th, en) in {
        "user": ("ผู้ใช้", "User"), "case": ("เรื่องตรวจสอบ", "Case"),
        "agency_request": ("คำขอถึงหน่วยงาน", "Agency request"), "claim": ("ประเด็นข่าว", "Claim"),
        "requester": ("ผู้แจ้ง", "Requester"), "takedown": ("คำขอให้ลบเนื้อหา", "Takedown"),
        "source": ("แหล่งที่มา", "Source"), "report": ("ข้อความแจ้ง", "Report"),
        "feed_source": ("แหล่งติดตามสื่อสังคม", "Social listening source"), "evidence": ("พยานหลักฐาน", "Evidence"),
        "agency": ("หน่วยงาน", "Agency"), "webhook": ("เว็บฮุก", "Webhook"), "route": ("หน้าเว็บ", "Page"),
        "import_run": ("การนำเข้าข้อมูล", "Import run"), "watchlist": ("คำที่เฝ้าระวัง", "Watch list"),
        "trend_report": ("รายงานแนวโน้ม", "Trends report"), "retention": ("การลบข้อมูลตามระยะเวลา", "Retention"),
        "job": ("งานเบื้องหลัง", "Background job"), "contact_point": ("ช่องทางติดต่อ", "Contact point"),
    }.items()},
})
