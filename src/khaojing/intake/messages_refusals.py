"""Thai and English texts of intake's refusals: what a citizen's form, a partner's API call or an import is told
when a report, an image or a key is refused (the API's `message_th`; the English `message` keeps its detail)."""

from khaojing.messages import register

register({
    "intake.err.too_long": {"th": "ข้อความยาว {size} ไบต์ เกินกำหนด {limit} ไบต์",
                            "en": "The text is {size} bytes; the limit is {limit} bytes."},
    "intake.err.empty": {"th": "ต้องมีข้อความ ลิงก์ หรือรูปภาพอย่างน้อยหนึ่งอย่าง",
                         "en": "A report needs a message text, a link or an image."},
    "intake.err.too_many_links": {"th": "ส่งลิงก์ได้ไม่เกิน {limit} ลิงก์ต่อเรื่อง",
                                  "en": "At most {limit} links per report."},
    "intake.err.too_many_images": {"th": "ส่งรูปได้ไม่เกิน {limit} รูปต่อเรื่อง",
                                   "en": "At most {limit} images per report."},
    "intake.err.key_reused": {"th": "Idempotency-Key นี้ใช้กับคำขอที่มีเนื้อหาต่างกันไปแล้ว ให้ใช้คีย์ใหม่สำหรับรายงานใหม่",
                              "en": "This Idempotency-Key was already used for a different request; use a new key "
                                    "for a new report."},
    "intake.err.retry": {"th": "บันทึกข้อความแจ้งไม่สำเร็จ กรุณาส่งใหม่อีกครั้ง",
                         "en": "The report could not be stored; please send it again."},
    "intake.err.no_report": {"th": "ไม่พบข้อความแจ้งหมายเลข {report}", "en": "Report {report} does not exist."},
    "intake.err.no_code": {"th": "ไม่พบข้อความแจ้งที่มีรหัสติดตามนี้", "en": "No report has this tracking code."},
    "intake.err.image_too_large": {"th": "รูปภาพมีขนาด {size} ไบต์ เกินกำหนด {limit} ไบต์",
                                   "en": "The image is {size} bytes; the limit is {limit} bytes."},
    "intake.err.image_empty": {"th": "ไฟล์รูปภาพว่างเปล่า", "en": "The image file is empty."},
    "intake.err.image_pixels": {"th": "รูปภาพมีจำนวนพิกเซลมากเกินไป", "en": "The image has too many pixels."},
    "intake.err.not_image": {"th": "ไฟล์นี้ไม่ใช่รูปภาพ JPEG, PNG หรือ WebP",
                             "en": "The file is not a JPEG, PNG or WebP image."},
    "intake.err.image_format": {"th": "ไม่รับรูปภาพแบบ {fmt} กรุณาส่ง JPEG, PNG หรือ WebP",
                                "en": "Image format {fmt} is not accepted; send JPEG, PNG or WebP."},
    "intake.err.base64": {"th": "images[{index}].content_base64 ไม่ใช่ base64 ที่ถูกต้อง",
                          "en": "images[{index}].content_base64 is not valid base64."},
    "intake.err.api_image_too_large": {"th": "images[{index}] ใหญ่เกิน {limit} ไบต์",
                                       "en": "images[{index}] is over {limit} bytes."},
    "intake.err.bad_json": {"th": "ข้อมูลไม่ใช่ JSON ตามรูปแบบที่กำหนด ดูรายละเอียดใน fields",
                            "en": "The report is not valid JSON of the expected shape; see fields."},
    "intake.err.json_only": {"th": "ส่งรายงานเป็น JSON พร้อม header `Content-Type: application/json`",
                             "en": "Send the report as JSON with `Content-Type: application/json`."},
    "intake.err.key_missing": {"th": "ไม่มีกุญแจ API หรือรูปแบบไม่ถูกต้อง ส่ง `Authorization: Bearer kj_…`",
                               "en": "Missing or malformed API key; send `Authorization: Bearer kj_…`."},
    "intake.err.key_unknown": {"th": "ไม่รู้จักกุญแจ API นี้", "en": "Unknown API key."},
    "intake.err.key_revoked": {"th": "กุญแจ API นี้ถูกยกเลิกแล้ว ขอกุญแจใหม่จากศูนย์ฯ",
                               "en": "This API key has been revoked; ask the center for a new one."},
})
