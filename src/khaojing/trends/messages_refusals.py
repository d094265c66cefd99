"""Thai and English texts of the refusals of the watchlist and listening-source forms (and their CLI commands)."""

from khaojing.messages import register

register({
    "trends.err.no_phrases": {"th": "รายการเฝ้าระวังต้องมีคำหรือวลีอย่างน้อยหนึ่งคำ",
                              "en": "A watchlist needs at least one keyword or phrase."},
    "trends.err.phrases": {"th": "ใส่ได้ไม่เกิน {n} วลี วลีละไม่เกิน {chars} ตัวอักษร",
                           "en": "At most {n} phrases of at most {chars} characters."},
    "trends.err.watch_name": {"th": "กรุณาตั้งชื่อรายการเฝ้าระวัง", "en": "A watchlist needs a name."},
    "trends.err.topic": {"th": "ไม่มีหมวดหมู่ {topic} ในระบบ", "en": "Unknown topic {topic}."},
    "trends.err.boost": {"th": "คะแนนเพิ่มความสำคัญต้องอยู่ระหว่าง 0 ถึง 50",
                         "en": "The priority boost is between 0 and 50 points."},
    "trends.err.no_watchlist": {"th": "ไม่พบรายการเฝ้าระวังหมายเลข {id}", "en": "Watchlist {id} does not exist."},
    "trends.err.watch_exists": {"th": "มีรายการเฝ้าระวังชื่อ {name} อยู่แล้ว",
                                "en": "A watchlist named {name} exists."},
    "trends.err.source_name": {"th": "กรุณาตั้งชื่อแหล่งติดตาม", "en": "A listening source needs a name."},
    "trends.err.kind": {"th": "ไม่รู้จักประเภท {kind} (ใช้ได้: {kinds})", "en": "Unknown kind {kind}; one of {kinds}."},
    "trends.err.url": {"th": "ที่อยู่ของแหล่งติดตามใช้ไม่ได้: {reason}",
                       "en": "The source's address cannot be used: {reason}"},
    "trends.err.schedule": {"th": "รอบการดึงข้อมูลต้องอยู่ระหว่าง 1 นาทีถึง 1 สัปดาห์",
                            "en": "The schedule is between 1 minute and 1 week."},
    "trends.err.source_exists": {"th": "มีแหล่งติดตามชื่อ {name} อยู่แล้ว",
                                 "en": "A listening source named {name} exists."},
    "trends.err.no_source": {"th": "ไม่พบแหล่งติดตาม {ref}", "en": "Listening source {ref} does not exist."},
})
