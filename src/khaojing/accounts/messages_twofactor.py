"""Thai and English texts of two-factor login for staff (security, issue 9): code step, enrolment, recovery codes."""

from khaojing.messages import register

register({
    "tf.code_title": {"th": "ยืนยันตัวตนขั้นที่สอง", "en": "Second step"},
    "tf.code_intro": {"th": "ใส่รหัส 6 หลักจากแอปยืนยันตัวตนในโทรศัพท์ หรือรหัสกู้คืนหนึ่งรหัส",
                      "en": "Enter the 6-digit code from the authenticator app on your phone, or one recovery code."},
    "tf.code": {"th": "รหัสยืนยัน", "en": "Code"},
    "tf.verify": {"th": "ยืนยัน", "en": "Verify"},
    "tf.err.code": {"th": "รหัสไม่ถูกต้องหรือถูกใช้ไปแล้ว", "en": "Wrong or already used code."},
    "tf.err.unreadable": {"th": "ระบบอ่านการยืนยันตัวตนขั้นที่สองของบัญชีนี้ไม่ได้แล้ว (กุญแจลับของระบบถูกเปลี่ยน) "
                                "กรุณาให้ผู้ดูแลระบบรีเซ็ต แล้วตั้งค่าใหม่เมื่อเข้าสู่ระบบครั้งถัดไป",
                          "en": "This account's second factor can no longer be read (the system's secret key was "
                                "changed): ask an administrator to reset it, then set it up again at your next login."},
    "tf.err.expired": {"th": "หมดเวลายืนยัน กรุณาเข้าสู่ระบบใหม่", "en": "The login has expired; please log in again."},
    "tf.throttled": {"th": "ใส่รหัสผิดหลายครั้งเกินไป กรุณารอ {seconds} วินาทีแล้วลองใหม่",
                     "en": "Too many wrong codes. Please wait {seconds} seconds and try again."},
    "tf.setup_title": {"th": "ตั้งค่าการยืนยันตัวตนสองขั้นตอน", "en": "Set up two-factor login"},
    "tf.setup_required": {"th": "บทบาทของคุณต้องใช้การยืนยันตัวตนสองขั้นตอน ตั้งค่าให้เสร็จก่อนจึงจะใช้งานระบบได้",
                          "en": "Your role requires two-factor login. Finish setting it up to use the console."},
    "tf.setup_steps": {"th": "สแกนคิวอาร์โค้ดด้วยแอปยืนยันตัวตน (เช่น Google Authenticator, FreeOTP) "
                             "หรือพิมพ์รหัสลับด้านล่าง แล้วใส่รหัส 6 หลักแรกที่แอปแสดง",
                       "en": "Scan the QR code with an authenticator app (e.g. Google Authenticator, FreeOTP) or "
                             "type the secret below, then enter the first 6-digit code the app shows."},
    "tf.qr_alt": {"th": "คิวอาร์โค้ดสำหรับแอปยืนยันตัวตน", "en": "QR code for the authenticator app"},
    "tf.secret": {"th": "รหัสลับ (พิมพ์เองได้)", "en": "Secret (to type in by hand)"},
    "tf.confirm": {"th": "เปิดใช้งาน", "en": "Turn on"},
    "tf.done_title": {"th": "เปิดใช้การยืนยันตัวตนสองขั้นตอนแล้ว", "en": "Two-factor login is on"},
    "tf.codes_intro": {"th": "รหัสกู้คืนเหล่านี้แสดงเพียงครั้งเดียว แต่ละรหัสใช้ได้ครั้งเดียวเมื่อไม่มีโทรศัพท์ "
                             "จดหรือพิมพ์เก็บไว้ในที่ปลอดภัย",
                       "en": "These recovery codes are shown only once. Each works once, when the phone is not at "
                             "hand. Write or print them and keep them somewhere safe."},
    "tf.continue": {"th": "ไปต่อ", "en": "Continue"},
    "tf.already": {"th": "บัญชีนี้เปิดใช้การยืนยันตัวตนสองขั้นตอนแล้ว หากทำโทรศัพท์หาย ให้ผู้ดูแลระบบรีเซ็ต",
                   "en": "This account already uses two-factor login. If the phone is lost, ask an administrator "
                         "to reset it."},
    "tf.admin_title": {"th": "การยืนยันตัวตนสองขั้นตอน", "en": "Two-factor login"},
    "tf.admin_on": {"th": "เปิดใช้งานแล้ว", "en": "On"},
    "tf.admin_off": {"th": "ยังไม่ได้ตั้งค่า", "en": "Not set up"},
    "tf.admin_hint": {"th": "รีเซ็ตเมื่อผู้ใช้ทำโทรศัพท์หาย: ผู้ใช้จะออกจากระบบทุกเครื่องและต้องตั้งค่าใหม่",
                      "en": "Reset when the user lost the phone: they are logged out everywhere and set it up again."},
    "tf.admin_reset": {"th": "รีเซ็ตการยืนยันสองขั้นตอน", "en": "Reset two-factor login"},
    "tf.admin_done": {"th": "รีเซ็ตการยืนยันสองขั้นตอนของ {username} แล้ว", "en": "Two-factor login of {username} reset"},
})
