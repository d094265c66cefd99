"""Thai and English texts of the agency portal, the agency directory, and the e-mails sent to agencies and editors."""

from khaojing.messages import register

register({
    # the agency portal (agency officers)
    "portal.title": {"th": "คำขอตรวจสอบข้อเท็จจริงถึง{agency}", "en": "Fact-check requests for {agency}"},
    "portal.intro": {"th": "ศูนย์ต่อต้านข่าวปลอมขอข้อมูลจากหน่วยงานของคุณเพื่อยืนยันข้อเท็จจริง กรุณาตอบภายในกำหนด",
                     "en": "The Anti-Fake News Center asks your agency to confirm the facts. Please answer by the "
                           "due time."},
    "portal.empty": {"th": "ยังไม่มีคำขอถึงหน่วยงานของคุณ", "en": "No request for your agency yet."},
    "portal.waiting": {"th": "รอคำตอบ {n} เรื่อง", "en": "{n} waiting for an answer"},
    "portal.col_request": {"th": "คำขอ", "en": "Request"},
    "portal.col_status": {"th": "สถานะ", "en": "Status"},
    "portal.back": {"th": "← คำขอทั้งหมด", "en": "← All requests"},
    "portal.request": {"th": "คำขอ #{id}", "en": "Request #{id}"},
    "portal.claim": {"th": "ข้อความที่แพร่กระจาย", "en": "The claim as it circulates"},
    "portal.question": {"th": "คำถามจากศูนย์", "en": "The center's question"},
    "portal.evidence": {"th": "หลักฐานที่ศูนย์ส่งมา", "en": "Evidence from the center"},
    "portal.no_evidence": {"th": "ไม่มีไฟล์หรือลิงก์แนบ", "en": "No files or links."},
    "portal.answer_title": {"th": "ตอบคำขอ", "en": "Answer"},
    "portal.answer": {"th": "ข้อเท็จจริงจากหน่วยงาน", "en": "The facts, from your agency"},
    "portal.answer_hint": {"th": "คำตอบนี้อาจถูกอ้างอิงในผลการตรวจสอบที่เผยแพร่ต่อสาธารณะ",
                           "en": "Your answer may be quoted in the published verdict."},
    "portal.proposed": {"th": "ผลที่หน่วยงานเห็นว่าเหมาะสม (ไม่บังคับ)", "en": "The verdict you propose (optional)"},
    "portal.no_proposal": {"th": "ไม่เสนอ", "en": "No proposal"},
    "portal.files": {"th": "ไฟล์ประกอบคำตอบ (ภาพ หรือ PDF)", "en": "Files with the answer (images or PDF)"},
    "portal.send_answer": {"th": "ส่งคำตอบ", "en": "Send answer"},
    "portal.decline_title": {"th": "ไม่สามารถตอบได้", "en": "Cannot answer"},
    "portal.decline_reason": {"th": "เหตุผล", "en": "Reason"},
    "portal.decline": {"th": "ปฏิเสธคำขอ", "en": "Decline"},
    "portal.forward_title": {"th": "ส่งต่อให้หน่วยงานที่รับผิดชอบ", "en": "Forward to the responsible agency"},
    "portal.forward_to": {"th": "หน่วยงาน", "en": "Agency"},
    "portal.forward_note": {"th": "หมายเหตุถึงศูนย์", "en": "Note to the center"},
    "portal.forward": {"th": "ส่งต่อ", "en": "Forward"},
    "portal.forward_none": {"th": "ยังไม่มีหน่วยงานอื่นที่รับคำขอได้ หากเรื่องนี้ไม่ใช่ของหน่วยงานคุณ กรุณาแจ้งว่าตอบไม่ได้ "
                                  "และระบุหน่วยงานที่รับผิดชอบในเหตุผล",
                            "en": "No other agency can receive requests yet. If this is not your agency's subject, "
                                  "say you cannot answer and name the responsible agency in the reason."},
    "portal.closed": {"th": "คำขอนี้ปิดแล้ว", "en": "This request is closed."},
    "portal.your_answer": {"th": "คำตอบของหน่วยงาน", "en": "Your agency's answer"},
    "portal.done_answer": {"th": "ส่งคำตอบแล้ว ขอบคุณที่ช่วยยืนยันข้อเท็จจริง", "en": "Answer sent. Thank you."},
    "portal.done_decline": {"th": "แจ้งปฏิเสธแล้ว", "en": "Declined."},
    "portal.done_forward": {"th": "ส่งต่อแล้ว", "en": "Forwarded."},
    # the agency directory
    "dir.title": {"th": "ทำเนียบหน่วยงาน", "en": "Agency directory"},
    "dir.intro": {"th": "หน่วยงานที่ตรวจสอบข้อเท็จจริงร่วมกับศูนย์ ส่งคำขอได้เฉพาะหน่วยงานที่มีผู้ประสานงานครบ 2 คน",
                  "en": "Agencies that verify facts with the center; requests go only to agencies with two "
                        "liaison officers."},
    "dir.count": {"th": "{n} หน่วยงาน", "en": "{n} agencies"},
    "dir.q": {"th": "ค้นหาชื่อหน่วยงานหรือกระทรวง", "en": "Search name or ministry"},
    "dir.topic": {"th": "หมวดหมู่", "en": "Topic"},
    "dir.any": {"th": "ทั้งหมด", "en": "Any"},
    "dir.status": {"th": "การรับเรื่อง", "en": "Routing"},
    "dir.active": {"th": "พร้อมรับเรื่อง", "en": "Routable"},
    "dir.inactive": {"th": "ยังไม่พร้อม", "en": "Not routable"},
    "dir.name": {"th": "หน่วยงาน", "en": "Agency"},
    "dir.ministry": {"th": "สังกัด", "en": "Parent ministry"},
    "dir.topics": {"th": "หมวดหมู่ที่รับผิดชอบ", "en": "Topics"},
    "dir.answered": {"th": "เคยตอบ", "en": "Answered"},
    "dir.answered_n": {"th": "{n} เรื่อง", "en": "{n}"},
    "dir.liaisons": {"th": "ผู้ประสานงาน", "en": "Liaison officers"},
    "dir.liaisons_n": {"th": "{n}/2 คน", "en": "{n}/2"},
    "dir.contact": {"th": "ช่องทางติดต่อ", "en": "Contact"},
    "dir.new": {"th": "เพิ่มหน่วยงาน", "en": "Add an agency"},
    "dir.edit": {"th": "แก้ไข", "en": "Edit"},
    "dir.empty": {"th": "ไม่พบหน่วยงาน", "en": "No agency found."},
    "dir.back": {"th": "← ทำเนียบหน่วยงาน", "en": "← Agency directory"},
    "dir.recent": {"th": "เรื่องที่เคยตอบล่าสุด", "en": "Recently answered claims"},
    "dir.officers": {"th": "บัญชีเจ้าหน้าที่หน่วยงาน", "en": "Officer accounts"},
    "dir.no_officers": {"th": "ยังไม่มีบัญชีเจ้าหน้าที่ (สร้างด้วยคำสั่ง khaojing users create)",
                        "en": "No officer account yet (create one with `khaojing users create`)."},
    "dir.edit_title": {"th": "แก้ไขข้อมูลหน่วยงาน", "en": "Edit agency"},
    "dir.new_title": {"th": "เพิ่มหน่วยงาน", "en": "New agency"},
    "dir.name_th": {"th": "ชื่อภาษาไทย", "en": "Thai name"},
    "dir.name_en": {"th": "ชื่อภาษาอังกฤษ", "en": "English name"},
    "dir.liaison": {"th": "ผู้ประสานงานคนที่ {n}", "en": "Liaison officer {n}"},
    "dir.person_name": {"th": "ชื่อ-นามสกุล", "en": "Full name"},
    "dir.position": {"th": "ตำแหน่ง", "en": "Position"},
    "dir.email": {"th": "อีเมล", "en": "E-mail"},
    "dir.phone": {"th": "โทรศัพท์", "en": "Phone"},
    "dir.line": {"th": "LINE", "en": "LINE"},
    "dir.website": {"th": "เว็บไซต์", "en": "Website"},
    "dir.address": {"th": "ที่อยู่", "en": "Address"},
    "dir.make_active": {"th": "เปิดให้ส่งคำขอถึงหน่วยงานนี้ (ต้องมีผู้ประสานงาน 2 คน)",
                        "en": "Route requests to this agency (needs two liaison officers)"},
    "dir.save": {"th": "บันทึก", "en": "Save"},
    "dir.saved": {"th": "บันทึกข้อมูลหน่วยงานแล้ว", "en": "Agency saved."},
    # e-mails (subject and body; Thai then English in one message)
    "mail.footer": {"th": "อีเมลนี้ส่งอัตโนมัติจากระบบข่าวจริงของศูนย์ต่อต้านข่าวปลอม กรุณาตอบผ่านระบบ",
                    "en": "Sent automatically by the Anti-Fake News Center's khaojing system; please answer in it."},
    "mail.request_new.subject": {"th": "คำขอตรวจสอบข้อเท็จจริง #{request}", "en": "Fact-check request #{request}"},
    "mail.request_new.body": {
        "th": "เรียน {agency}\n\nศูนย์ต่อต้านข่าวปลอมขอความร่วมมือตรวจสอบข้อเท็จจริงของข้อความต่อไปนี้\n\n"
              "ข้อความที่แพร่กระจาย:\n{claim}\n\nคำถาม:\n{question}\n\nกรุณาตอบภายใน {due_th}\n"
              "ตอบและดูหลักฐานได้ที่: {url}",
        "en": "To {agency}\n\nThe Anti-Fake News Center asks you to check the facts of this claim.\n\n"
              "The claim:\n{claim}\n\nQuestion:\n{question}\n\nPlease answer by {due_en}.\n"
              "Answer and see the evidence at: {url}"},
    "mail.request_chase.subject": {"th": "ทวงถาม: คำขอ #{request} เลยกำหนดตอบแล้ว",
                                   "en": "Reminder: request #{request} is overdue"},
    "mail.request_chase.body": {
        "th": "เรียน {agency}\n\nคำขอตรวจสอบข้อเท็จจริง #{request} ครบกำหนดตอบเมื่อ {due_th} และยังไม่ได้รับคำตอบ\n"
              "ประชาชนกำลังรอคำตอบ กรุณาตอบ ปฏิเสธ หรือส่งต่อให้หน่วยงานที่รับผิดชอบ ที่: {url}",
        "en": "To {agency}\n\nFact-check request #{request} was due {due_en} and has no answer yet.\n"
              "People are waiting: please answer, decline, or forward it to the responsible agency at: {url}"},
    "mail.request_escalated.subject": {"th": "คำขอ #{request} ถึง {agency} ยังไม่ได้คำตอบ",
                                       "en": "Request #{request} to {agency} still unanswered"},
    "mail.request_escalated.body": {
        "th": "คำขอ #{request} (เรื่องตรวจสอบ #{case}) ถึง {agency} ครบกำหนดเมื่อ {due_th}\n"
              "ระบบส่งอีเมลทวงถามแล้วหนึ่งครั้งแต่ยังไม่ได้คำตอบ กรุณาติดต่อผู้ประสานงานของหน่วยงาน\n{url}",
        "en": "Request #{request} (case #{case}) to {agency} was due {due_en}.\n"
              "It was chased once by e-mail and is still unanswered; please call the agency's liaison officers.\n"
              "{url}"},
    "mail.case_overdue.subject": {"th": "เรื่อง #{case} เลยกำหนดเริ่มดำเนินการ", "en": "Case #{case} is overdue"},
    "mail.case_overdue.body": {
        "th": "เรื่องตรวจสอบ #{case} ต้องเริ่มดำเนินการภายใน {due_th} แต่ยังไม่มีผู้ดำเนินการ\n\n{title}\n\n{url}",
        "en": "Case #{case} needed a first action by {due_en} and nobody has acted yet.\n\n{title}\n\n{url}"},
})
