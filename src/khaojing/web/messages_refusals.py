"""Thai and English texts of the web layer's own refusals: a form that expired, too many requests, a request body
over the limit (the error page and the API's `message_th`; the English `message`
keeps its detail)."""

from khaojing.messages import register

register({
    "web.err.form_expired": {"th": "แบบฟอร์มนี้หมดอายุหรือไม่ได้ส่งมาจากเว็บไซต์นี้ กรุณาโหลดหน้าใหม่แล้วลองอีกครั้ง",
                             "en": "The form has expired or did not come from this site; reload the page and try "
                                   "again."},
    "web.err.too_many": {"th": "มีการร้องขอมากเกินไป ลองใหม่ในอีก {seconds} วินาที",
                         "en": "Too many requests. Please try again in {seconds} seconds."},
    "web.err.body_too_large": {"th": "ข้อมูลที่ส่งมามีขนาดเกิน {limit} กรุณาส่งไฟล์ที่เล็กลง",
                               "en": "What was sent is over {limit}; please send a smaller file."},
})
