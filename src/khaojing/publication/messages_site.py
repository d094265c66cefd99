"""Thai and English texts of the about/method page, the open-data page, subscriptions and the publication e-mails."""

from __future__ import annotations

from khaojing.messages import register

register({
    "nav.about": {"th": "เกี่ยวกับเรา", "en": "About"},
    "nav.open_data": {"th": "ข้อมูลเปิด", "en": "Open data"},
    "nav.subscribe": {"th": "รับข่าวทางอีเมล", "en": "E-mail alerts"},
    # about and method
    "about.title": {"th": "เกี่ยวกับเราและวิธีการตรวจสอบ", "en": "About us and how we check"},
    "about.lead": {"th": "{center} ตรวจสอบข่าวที่ประชาชนสงสัยร่วมกับหน่วยงานที่รับผิดชอบ และเผยแพร่ข้อเท็จจริงให้ทุกคนใช้ได้",
                   "en": "The {center} checks the messages people doubt with the responsible agencies, and "
                         "publishes the facts for everyone to use."},
    "about.select": {"th": "เราเลือกเรื่องอย่างไร", "en": "How items are selected"},
    "about.select_body": {
        "th": "เรื่องมาจากประชาชนที่แจ้งผ่าน LINE และเว็บไซต์ จากหน่วยงานพันธมิตร และจากการติดตามสื่อสังคมออนไลน์ "
              "ข้อความที่เหมือนกันหรือมีความหมายเดียวกันจะถูกรวมเป็นประเด็นข่าวเดียว เราตรวจสอบข้อความที่กล่าวอ้าง"
              "ข้อเท็จจริงซึ่งพิสูจน์ได้ โดยให้ความสำคัญก่อนกับเรื่องที่อาจเป็นอันตรายต่อชีวิต สุขภาพ หรือทรัพย์สิน "
              "และเรื่องที่มีผู้สอบถามมาก ความคิดเห็น การเสียดสี และเรื่องส่วนตัวไม่อยู่ในขอบเขตการตรวจสอบ",
        "en": "Items come from people who report through LINE and the website, from partner agencies, and from "
              "social-media listening. Identical messages and messages with the same meaning are grouped into one "
              "claim. We check statements of fact that can be verified, first those that could harm life, health "
              "or property and those many people ask about. Opinions, satire and private matters are not checked."},
    "about.decide": {"th": "ใครเป็นผู้ตัดสิน", "en": "Who decides"},
    "about.decide_body": {
        "th": "เจ้าหน้าที่วิเคราะห์ของศูนย์รวบรวมหลักฐานและขอข้อเท็จจริงจากหน่วยงานที่รับผิดชอบเรื่องนั้น "
              "(เช่น กรมควบคุมโรค ธนาคารแห่งประเทศไทย) หน่วยงานที่ตรวจสอบจะระบุไว้ในทุกผลการตรวจสอบ "
              "ร่างผลการตรวจสอบต้องได้รับการอนุมัติจากบรรณาธิการอีกคนหนึ่งก่อนเผยแพร่เสมอ (หลักสี่ตา) "
              "ผู้เขียนไม่สามารถอนุมัติงานของตนเองได้ และทุกขั้นตอนถูกบันทึกไว้ตรวจสอบย้อนหลังได้",
        "en": "The center's analysts gather evidence and ask the agency responsible for the subject (for example "
              "the Department of Disease Control or the Bank of Thailand) for the facts; every verdict names its "
              "verifying agency. A draft is always approved by a second person, an editor, before it is published "
              "(four eyes): nobody approves their own work, and every step is recorded in an audit log."},
    "about.labels": {"th": "ความหมายของผลการตรวจสอบ", "en": "What the verdicts mean"},
    "about.label.fake": {"th": "ข้อความเป็นเท็จ หน่วยงานที่รับผิดชอบยืนยันว่าไม่เป็นความจริง",
                         "en": "The statement is false: the responsible agency confirms it is not true."},
    "about.label.distorted": {"th": "มีส่วนจริงบางส่วน แต่ถูกตัดตอน ขยายความ หรือนำไปใช้ผิดบริบทจนทำให้เข้าใจผิด",
                              "en": "Partly true, but cut, exaggerated or taken out of context so that it "
                                    "misleads."},
    "about.label.true": {"th": "หน่วยงานที่รับผิดชอบยืนยันว่าเป็นความจริง",
                         "en": "The responsible agency confirms it is true."},
    "about.label.other": {"th": "ผลการตรวจสอบตามที่ศูนย์กำหนด", "en": "A verdict defined by the center."},
    "about.corrections": {"th": "นโยบายการแก้ไข", "en": "Corrections policy"},
    "about.corrections_body": {
        "th": "เมื่อมีข้อเท็จจริงใหม่ เราแก้ไขผลการตรวจสอบและเผยแพร่เป็นฉบับใหม่ พร้อมเหตุผลของการแก้ไข "
              "ฉบับก่อนหน้ายังคงแสดงในประวัติการแก้ไขของแต่ละเรื่อง ผู้ที่เคยสอบถามเรื่องนั้นและพันธมิตรจะได้รับแจ้งอีกครั้ง "
              "หากพบข้อผิดพลาด แจ้งเราได้ผ่านแบบฟอร์มแจ้งข่าว",
        "en": "When new facts arrive we correct the verdict and publish a new version with the reason for the "
              "correction. Earlier versions stay visible in each verdict's correction history, and the people who "
              "asked and our partners are told again. If you find a mistake, tell us through the report form."},
    "about.open_data": {"th": "ข้อมูลเปิดและสัญญาอนุญาต", "en": "Open data and licence"},
    "about.open_data_body": {
        "th": "ผลการตรวจสอบทั้งหมดดาวน์โหลดได้ทุกวันในรูปแบบ CSV และ JSONL พร้อมพจนานุกรมข้อมูล "
              "ภายใต้สัญญาอนุญาต {licence} โดยไม่มีข้อมูลส่วนบุคคลของผู้แจ้ง นักพัฒนาใช้ API ฟีด Atom/JSON และ webhook ได้",
        "en": "Every verdict can be downloaded daily as CSV and JSONL with a data dictionary, under {licence}, "
              "without any personal data of the people who reported. Developers can use the API, the Atom/JSON "
              "feeds and webhooks."},
    "about.contact": {"th": "ติดต่อเรา", "en": "Contact"},
    "about.contact_body": {"th": "แจ้งข่าวที่สงสัยหรือข้อผิดพลาดในผลการตรวจสอบได้ที่แบบฟอร์มแจ้งข่าว",
                           "en": "Report a doubtful message, or a mistake in a verdict, through the report form."},
    "about.contact_email": {"th": "อีเมล: {email}", "en": "E-mail: {email}"},
    "pub.found_more": {"th": "พบมากกว่า {n} เรื่อง", "en": "More than {n} found"},
    # open data
    "od.title": {"th": "ข้อมูลเปิด", "en": "Open data"},
    "od.lead": {"th": "ผลการตรวจสอบที่เผยแพร่แล้วและประเด็นข่าว ไม่มีข้อมูลผู้แจ้ง ปรับปรุงทุกวัน",
                "en": "Published verdicts and their claims, without any requester data, updated daily."},
    "od.generated": {"th": "สร้างเมื่อ {when}", "en": "Generated {when}"},
    "od.none": {"th": "ยังไม่มีไฟล์ ระบบจะสร้างไฟล์ภายในหนึ่งวัน", "en": "No files yet; they are written once a day."},
    "od.file": {"th": "ไฟล์", "en": "File"},
    "od.rows": {"th": "จำนวนแถว", "en": "Rows"},
    "od.size": {"th": "ขนาด", "en": "Size"},
    "od.licence": {"th": "สัญญาอนุญาต: {licence}", "en": "Licence: {licence}"},
    "od.api": {"th": "ข้อมูลล่าสุดแบบเรียลไทม์", "en": "Live data"},
    # subscriptions
    "sub.title": {"th": "รับผลการตรวจสอบทางอีเมล", "en": "Get verdicts by e-mail"},
    "sub.lead": {"th": "เลือกหมวดหมู่ที่สนใจ (ไม่เลือก = ทุกหมวดหมู่) เราจะส่งลิงก์ยืนยันไปที่อีเมลของคุณก่อน",
                 "en": "Choose your topics (none: every topic). We first send a confirmation link to your address."},
    "sub.email": {"th": "อีเมล", "en": "E-mail address"},
    "sub.topics": {"th": "หมวดหมู่", "en": "Topics"},
    "sub.submit": {"th": "สมัครรับข่าว", "en": "Subscribe"},
    "sub.sent": {"th": "ส่งลิงก์ยืนยันไปที่ {email} แล้ว กรุณาเปิดอีเมลและกดลิงก์ภายใน {days} วัน",
                 "en": "A confirmation link was sent to {email}; open it within {days} days."},
    "sub.off": {"th": "ขณะนี้ยังไม่เปิดบริการอีเมล", "en": "E-mail alerts are not available at the moment."},
    "sub.invalid": {"th": "อีเมลไม่ถูกต้อง เช่น name@example.com", "en": "Not a valid address, e.g. name@example.com"},
    "sub.confirmed": {"th": "ยืนยันแล้ว คุณจะได้รับผลการตรวจสอบใหม่ทางอีเมล",
                      "en": "Confirmed: you will receive new verdicts by e-mail."},
    "sub.unsubscribed": {"th": "ยกเลิกการรับข่าวของ {email} แล้ว", "en": "{email} is unsubscribed."},
    "sub.link_expired": {"th": "ลิงก์ยืนยันนี้หมดอายุแล้ว กรุณาสมัครใหม่", "en": "This confirmation link has expired; "
                                                                              "please subscribe again."},
    "sub.bad_link": {"th": "ลิงก์ไม่ถูกต้องหรือหมดอายุ กรุณาสมัครใหม่", "en": "The link is not valid or has expired; "
                                                                           "please subscribe again."},
    # e-mails (cases/mail.py composes Thai, then English)
    "pub.mail.verdict.subject": {"th": "ผลการตรวจสอบเรื่องที่คุณแจ้ง: {label_th}",
                                 "en": "The verdict on what you reported: {label_en}"},
    "pub.mail.verdict.body": {"th": "ศูนย์ได้ตรวจสอบเรื่องที่คุณแจ้งแล้ว\n\n{title_th}\n\nอ่านข้อเท็จจริง: {url}",
                              "en": "The center has checked what you reported.\n\n{title_en}\n\n"
                                    "Read the facts: {url}"},
    "pub.mail.correction.subject": {"th": "แก้ไขผลการตรวจสอบ: {label_th}", "en": "Verdict corrected: {label_en}"},
    "pub.mail.correction.body": {"th": "ผลการตรวจสอบเรื่องที่คุณแจ้งได้รับการแก้ไข (ฉบับที่ {version})\n\n"
                                       "{title_th}\n\nอ่านข้อเท็จจริง: {url}",
                                 "en": "The verdict on what you reported was corrected (version {version}).\n\n"
                                       "{title_en}\n\nRead the facts: {url}"},
    "pub.mail.confirm.subject": {"th": "ยืนยันการรับผลการตรวจสอบทางอีเมล", "en": "Confirm your e-mail alerts"},
    "pub.mail.confirm.body": {"th": "กดลิงก์นี้เพื่อยืนยันการรับข่าว หมวดหมู่: {topics}\n{url}\n\n"
                                    "หากคุณไม่ได้สมัคร ไม่ต้องทำอะไร",
                              "en": "Follow this link to confirm your alerts (topics: {topics}):\n{url}\n\n"
                                    "If you did not subscribe, do nothing."},
    "pub.mail.broadcast.subject": {"th": "{title_th}", "en": "{label_en}"},
    "pub.mail.broadcast.body": {"th": "ผลการตรวจสอบใหม่\n\n{title_th}\n\nอ่านข้อเท็จจริง: {url}\n\n"
                                      "ยกเลิกการรับข่าว (คลิกเดียว): {unsubscribe}",
                                "en": "A new verdict\n\n{title_en}\n\nRead the facts: {url}\n\n"
                                      "Unsubscribe (one click): {unsubscribe}"},
    "pub.mail.broadcast_correction.subject": {"th": "แก้ไข: {title_th}", "en": "Corrected: {label_en}"},
    "pub.mail.broadcast_correction.body": {
        "th": "ผลการตรวจสอบได้รับการแก้ไข (ฉบับที่ {version})\n\n{title_th}\n\nอ่านข้อเท็จจริง: {url}\n\n"
              "ยกเลิกการรับข่าว (คลิกเดียว): {unsubscribe}",
        "en": "A verdict was corrected (version {version})\n\n{title_en}\n\nRead the facts: {url}\n\n"
              "Unsubscribe (one click): {unsubscribe}"},
})
