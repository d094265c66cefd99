"""Thai and English texts of the refusals of the evidence and takedown forms, and of the screenshot notes kept in an
evidence item's details ({"key", "params"} beside the English note of the signed record). Registered from
messages.py."""

from khaojing.messages import register

register({
    # capturing a web page
    "enf.err.unknown_host": {"th": "ไม่พบโฮสต์ {host} (ค้นหาชื่อโดเมนไม่ได้)", "en": "The host {host} cannot be "
                                                                                 "resolved."},
    "enf.err.not_http": {"th": "จับภาพได้เฉพาะที่อยู่ที่ขึ้นต้นด้วย http:// หรือ https://",
                         "en": "Only http:// and https:// addresses can be captured."},
    "enf.err.private_target": {"th": "ที่อยู่ {host} ชี้ไปยังเครือข่ายภายใน (private, loopback หรือ link-local) "
                                     "ระบบจึงไม่ดึงหน้าเว็บนี้",
                               "en": "The address {host} points to a private, loopback or link-local network; "
                                     "it is not fetched."},
    "enf.err.page_large": {"th": "หน้าเว็บใหญ่เกินขีดจำกัดของการจับภาพ ({limit})",
                           "en": "The page is larger than the capture limit ({limit})."},
    "enf.err.slow": {"th": "เว็บไซต์ส่งหน้าเว็บช้าเกินกำหนด", "en": "The site took too long to send the page."},
    "enf.err.fetch": {"th": "ดึงหน้าเว็บไม่สำเร็จ ({error})", "en": "The page could not be fetched ({error})."},
    "enf.err.redirects": {"th": "หน้าเว็บเปลี่ยนทางเกิน {max} ครั้ง", "en": "More than {max} redirects."},
    # evidence forms
    "enf.err.file_empty": {"th": "ไฟล์ว่างเปล่า", "en": "The file is empty."},
    "enf.err.file_large": {"th": "ไฟล์ใหญ่เกินกำหนด (ไม่เกิน {limit})", "en": "The file is too large (the limit "
                                                                          "is {limit})."},
    "enf.err.media_hash": {"th": "รูปภาพหมายเลข {media} ไม่ตรงกับค่าแฮชตอนที่ได้รับแล้ว",
                           "en": "Media {media} no longer matches the hash it was received with."},
    "enf.err.media_needed": {"th": "กรุณาใส่หมายเลขรูปภาพ", "en": "Give the image's media number."},
    "enf.err.case_needed": {"th": "กรุณาใส่เลขเรื่องตรวจสอบ", "en": "Give the case number."},
    "enf.err.recipient": {"th": "กรุณาระบุผู้รับมอบพยานหลักฐาน", "en": "Say to whom the evidence was handed over."},
    "enf.err.no_case": {"th": "ไม่พบเรื่องตรวจสอบ #{case}", "en": "Case #{case} does not exist."},
    "enf.err.no_media": {"th": "ไม่พบรูปภาพหมายเลข {media}", "en": "Media {media} does not exist."},
    "enf.err.no_evidence": {"th": "ไม่พบพยานหลักฐาน #{evidence}", "en": "Evidence #{evidence} does not exist."},
    "enf.err.nothing_to_export": {"th": "เรื่อง #{case} ยังไม่มีพยานหลักฐานให้ส่งออก",
                                  "en": "Case #{case} has no evidence to export."},
    "enf.err.unknown_key": {"th": "พยานหลักฐานบางรายการลงนามด้วยกุญแจที่ศูนย์ไม่มีกุญแจสาธารณะแล้ว ({keys}): "
                                  "นำกุญแจสาธารณะเดิมกลับไปไว้ในโฟลเดอร์ retired/ ของกุญแจก่อนส่งออก",
                            "en": "Some evidence was signed by a key whose public half the center no longer has "
                                  "({keys}): put that public key back in the key folder's retired/ before exporting."},
    # takedowns
    "enf.err.td_url": {"th": "กรุณาใส่ที่อยู่เต็มของเนื้อหา (ขึ้นต้นด้วย http:// หรือ https://)",
                       "en": "Give the full address of the content (http:// or https://)."},
    "enf.err.td_reason": {"th": "กรุณาเลือกเหตุผล", "en": "Choose a reason."},
    "enf.err.td_platform": {"th": "กรุณาเลือกแพลตฟอร์ม", "en": "Choose a platform."},
    "enf.err.td_move": {"th": "เปลี่ยนสถานะคำขอลบจาก “{old}” เป็น “{new}” ไม่ได้",
                        "en": "A takedown cannot go from “{old}” to “{new}”."},
    "enf.err.td_role": {"th": "บทบาทของคุณเปลี่ยนสถานะคำขอลบจาก “{old}” เป็น “{new}” ไม่ได้",
                        "en": "Your role cannot move a takedown from “{old}” to “{new}”."},
    "enf.err.td_channel": {"th": "กรุณาเลือกช่องทางการติดต่อ", "en": "Choose how the contact was made."},
    "enf.err.td_note": {"th": "กรุณาบันทึกสิ่งที่ส่งหรือพูดคุย", "en": "Say what was sent or said."},
    # screenshot notes (shown on the evidence page in its language)
    "enf.shot.off": {"th": "ปิดการจับภาพหน้าจอไว้ (KHAOJING_ENFORCEMENT_SCREENSHOTS)",
                     "en": "Screenshots are turned off (KHAOJING_ENFORCEMENT_SCREENSHOTS)."},
    "enf.shot.taken": {"th": "ภาพหน้าจอจาก Chromium แบบไม่แสดงหน้าต่าง ถ่ายทันทีหลังดึงหน้าเว็บ",
                       "en": "Screenshot by headless Chromium, taken right after the fetch."},
    "enf.shot.no_chromium": {"th": "ไม่มีภาพหน้าจอ: ไม่ได้ติดตั้ง {path}", "en": "No screenshot: {path} is not "
                                                                            "installed."},
    "enf.shot.no_playwright": {"th": "ไม่มีภาพหน้าจอ: ไม่ได้ติดตั้ง Playwright for Python",
                               "en": "No screenshot: Playwright for Python is not installed."},
    "enf.shot.no_proxy": {"th": "ไม่มีภาพหน้าจอ: เริ่มพร็อกซีของการจับภาพไม่ได้ ({error})",
                          "en": "No screenshot: the capture proxy did not start ({error})."},
    "enf.shot.unreachable": {"th": "ไม่มีภาพหน้าจอ: เข้าถึงหน้าเว็บผ่านพร็อกซีตรวจที่อยู่ไม่ได้ ({mark}, HTTP {status})",
                             "en": "No screenshot: the page could not be reached through the pinning proxy ({mark}, "
                                   "HTTP {status})."},
    "enf.shot.browser_failed": {"th": "ไม่มีภาพหน้าจอ: เบราว์เซอร์ทำงานผิดพลาด ({error})",
                                "en": "No screenshot: the browser failed ({error})."},
    "enf.shot.refused": {"th": "ระบบปฏิเสธคำขอของเบราว์เซอร์ไปยังที่อยู่ภายใน: {targets}",
                         "en": "The browser's requests to private addresses were refused: {targets}."},
    "enf.shot.refused_more": {"th": "ระบบปฏิเสธคำขอของเบราว์เซอร์ไปยังที่อยู่ภายใน: {targets} และอีก {more} แห่ง",
                              "en": "The browser's requests to private addresses were refused: {targets} and "
                                    "{more} more."},
})
