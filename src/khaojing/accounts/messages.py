"""Thai and English texts of the staff login pages, the console landing page and the refusal of a role."""

from khaojing.messages import register

register({
    "login.title": {"th": "เข้าสู่ระบบสำหรับเจ้าหน้าที่", "en": "Staff log in"},
    "login.intro": {"th": "สำหรับเจ้าหน้าที่ศูนย์และหน่วยงานที่ได้รับบัญชีผู้ใช้แล้วเท่านั้น",
                    "en": "For center staff and agency officers who have an account."},
    "login.username": {"th": "ชื่อผู้ใช้", "en": "User name"},
    "login.password": {"th": "รหัสผ่าน", "en": "Password"},
    "login.submit": {"th": "เข้าสู่ระบบ", "en": "Log in"},
    "login.failed": {"th": "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง", "en": "Wrong user name or password."},
    "login.throttled": {"th": "ลองเข้าสู่ระบบไม่สำเร็จหลายครั้งเกินไป กรุณารอ {seconds} วินาทีแล้วลองใหม่",
                        "en": "Too many failed attempts. Please wait {seconds} seconds and try again."},
    "auth.err.roles": {"th": "หน้านี้สำหรับผู้ที่มีบทบาท {roles} เท่านั้น", "en": "This needs one of the roles {roles}."},
    "login.logged_out": {"th": "ออกจากระบบแล้ว", "en": "You have logged out."},
})
