"""Thai and English texts of the refusals a case, request, verdict or agency form can meet (the `key` of the
DomainError the service raises; its English `detail` stays for the API and the logs). Registered from messages.py."""

from khaojing.messages import register

register({
    # one form field, named in the reader's language
    "err.field_required": {"th": "กรุณากรอกช่อง “{field}”", "en": "Please fill in “{field}”."},
    "err.field_long": {"th": "ช่อง “{field}” ยาวเกินกำหนด", "en": "“{field}” is too long."},
    "err.field_long_max": {"th": "ช่อง “{field}” ยาวเกิน {max} ตัวอักษร", "en": "“{field}” is longer than {max} "
                                                                                 "characters."},
    "field.question": {"th": "คำถามถึงหน่วยงาน", "en": "Question to the agency"},
    "field.claim_text": {"th": "ข้อความที่ตรวจสอบ", "en": "Claim text"},
    "field.answer": {"th": "คำตอบ", "en": "Answer"},
    "field.reason": {"th": "เหตุผล", "en": "Reason"},
    "field.note": {"th": "หมายเหตุ", "en": "Note"},
    "field.headline": {"th": "หัวข้อ", "en": "Headline"},
    "field.explanation": {"th": "คำอธิบาย", "en": "Explanation"},
    "field.name_th": {"th": "ชื่อหน่วยงาน (ไทย)", "en": "Agency name (Thai)"},
    "field.name_en": {"th": "ชื่อหน่วยงาน (อังกฤษ)", "en": "Agency name (English)"},
    "field.parent_ministry": {"th": "กระทรวงต้นสังกัด", "en": "Parent ministry"},
    "field.contact_email": {"th": "อีเมลติดต่อ", "en": "Contact e-mail"},
    "field.contact_phone": {"th": "โทรศัพท์ติดต่อ", "en": "Contact phone"},
    "field.contact_line": {"th": "LINE ติดต่อ", "en": "Contact LINE"},
    "field.contact_website": {"th": "เว็บไซต์", "en": "Website"},
    "field.contact_address": {"th": "ที่อยู่", "en": "Address"},
    "field.liaison_name": {"th": "ชื่อเจ้าหน้าที่ประสานงาน", "en": "Liaison's name"},
    "field.liaison_position": {"th": "ตำแหน่งเจ้าหน้าที่ประสานงาน", "en": "Liaison's position"},
    "field.liaison_email": {"th": "อีเมลเจ้าหน้าที่ประสานงาน", "en": "Liaison's e-mail"},
    "field.liaison_phone": {"th": "โทรศัพท์เจ้าหน้าที่ประสานงาน", "en": "Liaison's phone"},
    # links, files
    "err.links_many": {"th": "ใส่ลิงก์ได้ไม่เกิน {max} ลิงก์", "en": "At most {max} links."},
    "err.link_bad": {"th": "ไม่ใช่ลิงก์เว็บ (http:// หรือ https://): {link}", "en": "Not a web link (http:// or "
                                                                                   "https://): {link}"},
    "err.file_large": {"th": "ไฟล์ใหญ่เกินกำหนด (ไม่เกิน {limit})", "en": "The file is too large (the limit is "
                                                                          "{limit})."},
    "err.file_empty": {"th": "ไฟล์ว่างเปล่า", "en": "The file is empty."},
    "err.file_type": {"th": "แนบได้เฉพาะรูปภาพ (JPEG, PNG, WebP) และเอกสาร PDF",
                      "en": "Only images (JPEG, PNG, WebP) and PDF documents can be attached."},
    "err.files_many": {"th": "แนบได้ครั้งละไม่เกิน {max} ไฟล์", "en": "At most {max} files at once."},
    "err.choose_file": {"th": "กรุณาเลือกไฟล์", "en": "Choose a file."},
    # agency requests and deadlines
    "err.agency_inactive": {"th": "{agency} ยังไม่เปิดรับคำขอ: ผู้ดูแลระบบต้องบันทึกเจ้าหน้าที่ประสานงาน 2 คนก่อน",
                            "en": "{agency} cannot receive requests yet: an administrator must record its two "
                                  "liaison officers first."},
    "err.due_range": {"th": "กำหนดตอบต้องอยู่หลังเวลาปัจจุบันและไม่เกิน {days} วัน",
                      "en": "The answer must be due after now and within {days} days."},
    "err.choose_agency": {"th": "กรุณาเลือกหน่วยงานอย่างน้อยหนึ่งแห่ง", "en": "Choose at least one agency."},
    "err.req_pending": {"th": "คำขอถึง {agencies} ในเรื่องนี้ยังรอคำตอบอยู่",
                        "en": "A request to {agencies} is still waiting for an answer on this case."},
    "err.req_other_agency": {"th": "คำขอนี้ส่งถึงหน่วยงานอื่น", "en": "This request was sent to another agency."},
    "err.req_closed": {"th": "คำขอ #{request} ปิดแล้ว (สถานะ: {status})", "en": "Request #{request} is closed "
                                                                               "({status})."},
    "err.label_unknown": {"th": "ไม่รู้จักผลการตรวจสอบที่เลือก", "en": "Unknown verdict label."},
    "err.forward_same": {"th": "กรุณาเลือกหน่วยงานอื่นที่จะส่งต่อ", "en": "Forward to another agency."},
    "err.agency_choose": {"th": "ไม่พบหน่วยงานที่เลือก กรุณาเลือกหน่วยงานจากรายการอีกครั้ง",
                          "en": "The chosen agency does not exist; choose an agency from the list again."},
    "err.forward_choose": {"th": "กรุณาเลือกหน่วยงานที่จะส่งต่อจากรายการ",
                           "en": "Choose the agency to forward to from the list."},
    "err.choose_label": {"th": "กรุณาเลือกผลการตรวจสอบ", "en": "Choose a verdict."},
    # opening, moving, dismissing and assigning cases
    "err.choose_claim": {"th": "กรุณาเลือกประเด็นข่าว", "en": "Choose a claim."},
    "err.open_role": {"th": "เฉพาะนักวิเคราะห์และบรรณาธิการเปิดเรื่องตรวจสอบได้",
                      "en": "Only analysts and editors open cases."},
    "err.claim_closed": {"th": "ประเด็นข่าว #{claim} ถูกรวมหรือปิดไปแล้ว: เปิดเรื่องที่ประเด็นที่รวมเข้าไป "
                               "หรือเปิดเรื่องที่ปิดไว้ขึ้นมาใหม่",
                         "en": "Claim #{claim} is merged or dismissed: open a case on the claim it was merged into, "
                               "or take up the dismissed case again."},
    "err.case_exists": {"th": "ประเด็นข่าว #{claim} มีเรื่องตรวจสอบที่ยังเปิดอยู่แล้ว: #{case}",
                        "en": "Claim #{claim} already has an open case: #{case}."},
    "err.go_to_case": {"th": "ไปที่เรื่องตรวจสอบ #{case}", "en": "Go to case #{case}"},
    "err.claim_other_open": {"th": "ประเด็นข่าวนี้มีเรื่องตรวจสอบอื่นที่ยังเปิดอยู่: #{case}",
                             "en": "The claim already has another open case: #{case}."},
    "err.state_unknown": {"th": "ไม่มีสถานะนี้", "en": "There is no such state."},
    "err.move_role": {"th": "บทบาทของคุณย้ายเรื่องจาก “{old}” ไปเป็น “{new}” ไม่ได้",
                      "en": "Your role cannot move a case from “{old}” to “{new}”."},
    "err.move_not_allowed": {"th": "เรื่อง #{case} อยู่ในสถานะ “{old}” จึงย้ายไปเป็น “{new}” ไม่ได้",
                             "en": "Case #{case} is “{old}”: it cannot move to “{new}”."},
    "err.move_not_allowed_to": {"th": "เรื่อง #{case} อยู่ในสถานะ “{old}” จึงย้ายไปเป็น “{new}” ไม่ได้ "
                                      "จากสถานะนี้ย้ายได้เป็น: {options}",
                                "en": "Case #{case} is “{old}”: it cannot move to “{new}”; from here it may move to: "
                                      "{options}."},
    "err.use_form": {"th": "กรุณาใช้แบบฟอร์มเฉพาะเพื่อย้ายเรื่องไปเป็น “{new}”",
                     "en": "Use its own form to move a case to “{new}”."},
    "err.draft_first": {"th": "กรุณาเขียนร่างผลการตรวจสอบก่อนส่งให้อนุมัติ",
                        "en": "Write the verdict draft before sending it for review."},
    "err.publish_by_approval": {"th": "ผลการตรวจสอบจะเผยแพร่ได้เมื่อบรรณาธิการอนุมัติเท่านั้น",
                                "en": "A verdict is published only when an editor approves it."},
    "err.case_merged": {"th": "เรื่องนี้ถูกปิดเพราะซ้ำ และรวมประเด็นข่าวไปแล้ว กรุณาทำงานที่เรื่อง #{case}",
                        "en": "This case was dismissed as a duplicate and its claim merged; work on case #{case} "
                              "instead."},
    "err.reason_needed": {"th": "กรุณาให้เหตุผลในการย้ายเรื่องจาก “{old}” ไปเป็น “{new}”",
                          "en": "Give a reason to move a case from “{old}” to “{new}”."},
    "err.dismiss_reason": {"th": "กรุณาเลือกเหตุผลในการปิดเรื่อง", "en": "Choose a reason for dismissing."},
    "err.dup_required": {"th": "กรุณาระบุเลขเรื่องที่เรื่องนี้ซ้ำด้วย", "en": "Name the case this one duplicates."},
    "err.dup_self": {"th": "เรื่องหนึ่งซ้ำกับตัวเองไม่ได้", "en": "A case cannot duplicate itself."},
    "err.dup_dismissed": {"th": "เรื่อง #{case} ถูกปิดแล้ว กรุณาเลือกเรื่องที่ยังทำงานต่อ",
                          "en": "Case #{case} is dismissed; choose the case that carries on the work."},
    "err.assignee": {"th": "มอบหมายเรื่องได้เฉพาะนักวิเคราะห์และบรรณาธิการที่ใช้งานอยู่",
                     "en": "Cases are assigned to active analysts and editors only."},
    "err.assign_closed": {"th": "เรื่อง #{case} ปิดแล้ว ({state}) กรุณาเปิดใหม่ก่อน",
                          "en": "Case #{case} is closed ({state}); reopen it first."},
    "err.take_role": {"th": "เฉพาะนักวิเคราะห์และบรรณาธิการรับเรื่องได้", "en": "Only analysts and editors take "
                                                                                "cases."},
    "err.reassign_editor": {"th": "เฉพาะบรรณาธิการมอบหมายเรื่องที่ผู้อื่นถืออยู่ใหม่ได้",
                            "en": "Only an editor may reassign a case that someone else holds."},
    "err.release": {"th": "เฉพาะผู้ถือเรื่องหรือบรรณาธิการปล่อยเรื่องได้",
                    "en": "Only the holder or an editor may release a case."},
    # comments and links between cases
    "err.comment_empty": {"th": "กรุณาเขียนความเห็น", "en": "Write a comment."},
    "err.comment_long": {"th": "ความเห็นยาวได้ไม่เกิน {max} ตัวอักษร", "en": "A comment is at most {max} "
                                                                         "characters."},
    "err.link_kind": {"th": "กรุณาเลือกชนิดการเชื่อมโยง", "en": "Choose how the cases are linked."},
    "err.link_self": {"th": "เชื่อมโยงเรื่องกับตัวเองไม่ได้", "en": "A case cannot be linked to itself."},
    "err.linked": {"th": "เรื่อง #{case} และ #{other} เชื่อมโยงแบบนี้อยู่แล้ว",
                   "en": "Cases #{case} and #{other} are already linked this way."},
    "err.other_case": {"th": "กรุณาระบุเลขเรื่องอีกเรื่อง", "en": "Give the number of the other case."},
    # verdict drafting and approval
    "err.statements_many": {"th": "คำชี้แจงของหน่วยงานมากเกินไป", "en": "Too many agency statements."},
    "err.doc_unknown": {"th": "เอกสารที่อ้างถึงไม่ได้แนบไว้กับเรื่องนี้",
                        "en": "A cited document is not attached to this case."},
    "err.verdict_state": {"th": "เรื่อง #{case} อยู่ในสถานะ “{state}”: ย้ายไปขั้นเขียนผลก่อนจึงเขียนผลการตรวจสอบได้",
                          "en": "Case #{case} is “{state}”: move it to drafting to write the verdict."},
    "err.verdict_agency": {"th": "ไม่พบหน่วยงานที่ตรวจสอบที่เลือก", "en": "Unknown verifying agency."},
    "err.no_review": {"th": "เรื่อง #{case} ไม่มีร่างผลที่รออนุมัติ", "en": "Case #{case} has no verdict waiting for "
                                                                        "review."},
    "err.approve_role": {"th": "เฉพาะบรรณาธิการอนุมัติและเผยแพร่ผลการตรวจสอบได้",
                         "en": "Only an editor approves and publishes a verdict."},
    # the agency directory (administrators)
    "err.liaison_email": {"th": "อีเมลของเจ้าหน้าที่ประสานงานคนที่ {n} ไม่ถูกต้อง",
                          "en": "Liaison {n}: that is not an e-mail address."},
    "err.contact_email": {"th": "อีเมลติดต่อของหน่วยงานไม่ถูกต้อง", "en": "The contact e-mail is not an address."},
    "err.agency_exists": {"th": "มีหน่วยงานชื่อ {name} อยู่แล้ว", "en": "An agency called {name} exists already."},
})
