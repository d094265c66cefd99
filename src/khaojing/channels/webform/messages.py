"""Thai and English texts of the public site: home page, report form and report tracking."""

from __future__ import annotations

from khaojing.messages import register

HOME = {
    "public.home.heading": {
        "th": "เจอข่าวที่น่าสงสัย? ส่งมาให้เราตรวจสอบ",
        "en": "Seen a message you doubt? Send it to us to check"},
    "public.home.lead": {
        "th": "{center}รับข้อความ ภาพ และลิงก์ที่ส่งต่อกันในสื่อสังคมออนไลน์ซึ่งคุณสงสัยว่าอาจเป็นข่าวปลอม "
              "แล้วประสานหน่วยงานที่รับผิดชอบให้ตรวจสอบข้อเท็จจริง เมื่อตรวจสอบแล้วเราจะเผยแพร่คำตอบ "
              "และคุณติดตามความคืบหน้าได้ด้วยรหัสติดตามเรื่อง",
        "en": "The {center} receives messages, images and links shared on social media that you suspect "
              "may be fake, and asks the responsible agencies to check the facts. We publish the answer "
              "once it is checked, and you can follow your report with its tracking code."},
    "public.home.cta_report": {
        "th": "แจ้งข้อความที่น่าสงสัย",
        "en": "Report a suspicious message"},
    "public.home.cta_report_hint": {
        "th": "ไม่ต้องสมัครสมาชิกหรือเข้าสู่ระบบ",
        "en": "No account or login needed"},
    "public.home.cta_track": {
        "th": "ติดตามเรื่องที่แจ้ง",
        "en": "Track a report"},
    "public.home.cta_track_hint": {
        "th": "ใช้รหัสติดตามเรื่องที่ได้รับหลังส่งข้อความ",
        "en": "Use the tracking code you got after sending"},
    "public.home.how": {
        "th": "ขั้นตอนการทำงาน",
        "en": "How it works"},
    "public.home.step1": {
        "th": "คุณส่งข้อความ ภาพ หรือลิงก์ที่สงสัย แล้วจดรหัสติดตามเรื่องไว้",
        "en": "You send the message, image or link you doubt, and keep the tracking code."},
    "public.home.step2": {
        "th": "เจ้าหน้าที่คัดกรองเรื่อง และประสานหน่วยงานที่รับผิดชอบให้ตรวจสอบข้อเท็จจริง",
        "en": "Our staff screen it and ask the responsible agency to check the facts."},
    "public.home.step3": {
        "th": "คุณดูสถานะได้ตลอดเวลาด้วยรหัสติดตามเรื่อง จนกว่าจะมีคำตอบ",
        "en": "You can see its status at any time with the tracking code, until it is answered."},
}

REPORT = {
    "public.report.title": {
        "th": "แจ้งข้อความที่น่าสงสัย",
        "en": "Report a suspicious message"},
    "public.report.intro": {
        "th": "ส่งอย่างน้อยหนึ่งอย่าง: ข้อความ ภาพ หรือลิงก์ ไม่ต้องสมัครสมาชิก",
        "en": "Send at least one of these: the text, an image or a link. No account needed."},
    "public.report.text": {
        "th": "ข้อความที่สงสัย",
        "en": "The message you doubt"},
    "public.report.text_hint": {
        "th": "วางข้อความที่ได้รับมาทั้งหมดตามที่ส่งต่อกันมา ไม่ต้องตัดหรือแก้ไข",
        "en": "Paste the whole forwarded message as you received it, without cutting or editing it."},
    "public.report.image": {
        "th": "ภาพ (ไม่บังคับ)",
        "en": "Images (optional)"},
    "public.report.image_hint": {
        "th": "ภาพหน้าจอหรือภาพที่ส่งต่อกัน ไฟล์ JPEG, PNG หรือ WebP ไม่เกิน {n} ภาพ ภาพละไม่เกิน {limit}",
        "en": "Screenshots or the pictures that were shared: JPEG, PNG or WebP, up to {n} images of at "
              "most {limit} each."},
    "public.report.url": {
        "th": "ลิงก์ (ไม่บังคับ)",
        "en": "Link (optional)"},
    "public.report.url_hint": {
        "th": "ที่อยู่เว็บของโพสต์หรือข่าว เช่น https://www.example.com/news/123",
        "en": "The web address of the post or article, for example https://www.example.com/news/123"},
    "public.report.contact_legend": {
        "th": "ต้องการให้ติดต่อกลับ (ไม่บังคับ)",
        "en": "Would you like us to reply? (optional)"},
    "public.report.contact": {
        "th": "อีเมลหรือหมายเลขโทรศัพท์",
        "en": "Email or phone number"},
    "public.report.contact_hint": {
        "th": "เว้นว่างได้ รหัสติดตามเรื่องที่คุณจะได้รับก็เพียงพอสำหรับดูผล",
        "en": "You may leave this empty: the tracking code you will get is enough to see the result."},
    "public.report.consent": {
        "th": "ฉันยินยอมให้ศูนย์ฯ เก็บอีเมลหรือหมายเลขโทรศัพท์นี้ไว้ {days} วัน "
              "เพื่อใช้ติดต่อกลับเรื่องนี้เท่านั้น หลังจากนั้นระบบจะลบโดยอัตโนมัติ",
        "en": "I agree that the center keeps this email or phone number for {days} days, only to reply to "
              "me about this report; after that it is deleted automatically."},
    "public.report.consent_hint": {
        "th": "หากไม่ทำเครื่องหมาย เราจะไม่เก็บข้อมูลติดต่อของคุณ",
        "en": "If you do not tick this box, we do not keep your contact."},
    "public.report.privacy": {
        "th": "ข้อมูลติดต่อของคุณจะไม่แสดงบนหน้าติดตามเรื่อง",
        "en": "Your contact is never shown on the tracking page."},
    "public.report.submit": {
        "th": "ส่งให้ตรวจสอบ",
        "en": "Send for checking"},
    "public.report.errors_title": {
        "th": "ยังส่งไม่ได้ กรุณาแก้ไขดังนี้",
        "en": "Not sent yet: please fix the following"},
    "public.report.reattach": {
        "th": "หากคุณแนบภาพไว้ กรุณาเลือกภาพอีกครั้ง เพราะเบราว์เซอร์ไม่เก็บไฟล์ไว้ให้",
        "en": "If you attached images, please choose them again: browsers do not keep files."},
}

ERRORS = {
    "public.report.err.empty": {
        "th": "กรุณาวางข้อความ แนบภาพ หรือใส่ลิงก์ อย่างน้อยหนึ่งอย่าง",
        "en": "Please paste the message, attach an image or add a link: at least one of them."},
    "public.report.err.text_too_long": {
        "th": "ข้อความยาวเกินกำหนด ({limit}) กรุณาส่งเฉพาะส่วนที่สงสัย",
        "en": "The message is over the {limit} limit; please send only the part you doubt."},
    "public.report.err.image_too_large": {
        "th": "ภาพ {name} มีขนาด {size} เกินกำหนด {limit} กรุณาย่อภาพหรือส่งภาพหน้าจอแทน",
        "en": "The image {name} is {size}, over the {limit} limit; please make it smaller or send a "
              "screenshot instead."},
    "public.report.err.image_invalid": {
        "th": "ไฟล์ {name} ไม่ใช่ภาพ JPEG, PNG หรือ WebP กรุณาเลือกไฟล์ภาพอื่น",
        "en": "The file {name} is not a JPEG, PNG or WebP image; please choose another file."},
    "public.report.err.image_empty": {
        "th": "ไฟล์ {name} ว่างเปล่า กรุณาเลือกไฟล์ภาพอีกครั้ง",
        "en": "The file {name} is empty; please choose the image again."},
    "public.report.err.too_many_images": {
        "th": "แนบภาพได้ไม่เกิน {n} ภาพ",
        "en": "You can attach at most {n} images."},
    "public.report.err.url": {
        "th": "ลิงก์ไม่ถูกต้อง ต้องเป็นที่อยู่เว็บ เช่น https://www.example.com/news/123",
        "en": "This link is not valid; it must be a web address such as https://www.example.com/news/123"},
    "public.report.err.contact": {
        "th": "อีเมลหรือหมายเลขโทรศัพท์ไม่ถูกต้อง เช่น name@example.com หรือ 081 234 5678",
        "en": "This is not a valid email or phone number, for example name@example.com or 081 234 5678."},
    "public.report.err.expired": {
        "th": "แบบฟอร์มหมดอายุแล้ว ข้อความของคุณยังอยู่ กรุณาตรวจสอบแล้วกดส่งอีกครั้ง",
        "en": "The form had expired. Your text is still here: please check it and press send again."},
    "public.report.err.other": {
        "th": "ส่งไม่สำเร็จ กรุณาตรวจสอบข้อมูลแล้วลองอีกครั้ง",
        "en": "Sending failed; please check what you entered and try again."},
    "public.report.err.request_too_large": {
        "th": "ข้อมูลที่ส่งมีขนาดใหญ่เกินไป กรุณาส่งข้อความให้สั้นลง",
        "en": "What you sent is too large; please send a shorter text."},
}

TRACK = {
    "public.track.title": {
        "th": "ติดตามเรื่องที่แจ้ง",
        "en": "Track a report"},
    "public.track.intro": {
        "th": "กรอกรหัสติดตามเรื่องที่คุณได้รับหลังส่งข้อความ เพื่อดูสถานะ",
        "en": "Type the tracking code you got after sending your report to see its status."},
    "public.track.code": {
        "th": "รหัสติดตามเรื่อง",
        "en": "Tracking code"},
    "public.track.code_hint": {
        "th": "เช่น KJ-7K3M-Q9TX พิมพ์ตัวเล็กหรือตัวใหญ่ มีขีดหรือไม่มีก็ได้",
        "en": "For example KJ-7K3M-Q9TX, in upper or lower case, with or without dashes."},
    "public.track.submit": {
        "th": "ดูสถานะ",
        "en": "Show status"},
    "public.track.err.empty": {
        "th": "กรุณากรอกรหัสติดตามเรื่อง",
        "en": "Please type your tracking code."},
    "public.track.err.format": {
        "th": "รหัสนี้ไม่ใช่รหัสติดตามเรื่อง รหัสขึ้นต้นด้วย KJ ตามด้วยตัวอักษรและตัวเลข 8 ตัว "
              "กรุณาตรวจสอบอีกครั้ง",
        "en": "This is not a tracking code: a code is KJ followed by 8 letters and digits. Please check "
              "it."},
    "public.track.notfound_title": {
        "th": "ไม่พบเรื่องที่มีรหัสนี้",
        "en": "No report has this code"},
    "public.track.notfound": {
        "th": "ไม่พบเรื่องที่มีรหัส {code} กรุณาตรวจสอบรหัสที่ได้รับตอนส่งข้อความอีกครั้ง",
        "en": "We found no report with the code {code}. Please check the code you got when you sent your "
              "report."},
    "public.track.new_title": {
        "th": "ได้รับข้อความของคุณแล้ว ขอบคุณที่ช่วยกันตรวจสอบข่าว",
        "en": "We have received your report. Thank you for helping to check the news."},
    "public.track.status_title": {
        "th": "สถานะเรื่องที่แจ้ง",
        "en": "Report status"},
    "public.track.your_code": {
        "th": "รหัสติดตามเรื่องของคุณ",
        "en": "Your tracking code"},
    "public.track.keep": {
        "th": "โปรดจดรหัสนี้หรือบันทึกภาพหน้าจอไว้ ใช้ดูสถานะเรื่องได้ที่เมนู “ติดตามเรื่อง” "
              "ได้ตลอดเวลาโดยไม่ต้องสมัครสมาชิก",
        "en": "Please write this code down or take a screenshot. With it you can see the status of your "
              "report under “Track a report” at any time, without an account."},
    "public.track.status": {
        "th": "สถานะ",
        "en": "Status"},
    "public.track.received": {
        "th": "ได้รับเมื่อ",
        "en": "Received"},
    "public.track.updated": {
        "th": "ปรับปรุงล่าสุด",
        "en": "Last update"},
    "public.track.channel": {
        "th": "ช่องทาง",
        "en": "Channel"},
    "public.track.sent": {
        "th": "เรื่องที่แจ้ง",
        "en": "What was sent"},
    "public.track.no_text": {
        "th": "(ไม่มีข้อความ)",
        "en": "(no text)"},
    "public.track.images": {
        "th": "ภาพที่แนบ {n} ภาพ",
        "en": "Images attached: {n}"},
    "public.track.link": {
        "th": "ลิงก์",
        "en": "Link"},
    "public.track.progress": {
        "th": "ความคืบหน้า",
        "en": "Progress"},
    "public.track.contact_kept": {
        "th": "เราเก็บข้อมูลติดต่อของคุณไว้ {days} วัน เพื่อใช้ติดต่อกลับเรื่องนี้เท่านั้น",
        "en": "We keep your contact for {days} days, only to reply about this report."},
    "public.track.contact_dropped": {
        "th": "คุณไม่ได้ทำเครื่องหมายยินยอม เราจึงไม่ได้เก็บข้อมูลติดต่อของคุณ "
              "โปรดใช้รหัสติดตามเรื่องเพื่อดูผล",
        "en": "You did not tick the consent box, so we did not keep your contact. Please use the tracking "
              "code to see the result."},
    "public.track.another": {
        "th": "แจ้งข้อความอื่น",
        "en": "Report another message"},
    "public.track.other_code": {
        "th": "ดูเรื่องอื่น",
        "en": "Look up another code"},
}

STEPS = {
    "public.step.received": {
        "th": "ได้รับเรื่อง",
        "en": "Received"},
    "public.step.received_about": {
        "th": "ระบบบันทึกเรื่องของคุณแล้ว",
        "en": "Your report is stored."},
    "public.step.screening": {
        "th": "คัดกรอง",
        "en": "Screening"},
    "public.step.screening_about": {
        "th": "เจ้าหน้าที่ดูว่าเป็นเรื่องที่ต้องตรวจสอบ หรือเคยมีคำตอบแล้ว",
        "en": "Staff see whether it needs checking or has already been answered."},
    "public.step.verification": {
        "th": "ตรวจสอบข้อเท็จจริง",
        "en": "Fact-checking"},
    "public.step.verification_about": {
        "th": "หน่วยงานที่รับผิดชอบตรวจสอบข้อเท็จจริง",
        "en": "The responsible agency checks the facts."},
    "public.step.answered": {
        "th": "แจ้งผลการตรวจสอบ",
        "en": "Answer published"},
    "public.step.answered_about": {
        "th": "ศูนย์ฯ เผยแพร่ผลการตรวจสอบ",
        "en": "The center publishes the answer."},
    "public.step.rejected": {
        "th": "ไม่เข้าข่ายการตรวจสอบ",
        "en": "Not taken up for verification"},
    "public.step.rejected_about": {
        "th": "เจ้าหน้าที่พิจารณาแล้วว่าเรื่องนี้ไม่อยู่ในขอบเขตที่ศูนย์ฯ ตรวจสอบ",
        "en": "Staff decided this report is outside what the center verifies."},
    "public.step.done": {
        "th": "เสร็จแล้ว",
        "en": "done"},
    "public.step.current": {
        "th": "ขั้นตอนปัจจุบัน",
        "en": "current step"},
    "public.step.todo": {
        "th": "ยังไม่ถึงขั้นตอนนี้",
        "en": "not reached yet"},
}

register({**HOME, **REPORT, **ERRORS, **TRACK, **STEPS})
