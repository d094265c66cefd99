"""The data dictionary (Thai and English) and the licence note written beside the open-data files."""

from __future__ import annotations

from khaojing.settings import Settings

# column -> (Thai description, English description)
VERDICT_COLUMNS = {
    "วันและเวลาที่เผยแพร่": ("วันและเวลาที่เผยแพร่ฉบับปัจจุบัน (วว/ดด/ปปปป พ.ศ. ชช:นน:วว เวลาประเทศไทย)",
                           "when the current version was published (DD/MM/YYYY Buddhist era HH:MM:SS, Thai time)"),
    "ลิงค์ข่าว": ("ลิงก์หน้าผลการตรวจสอบ", "link to the public verdict page"),
    "หัวข้อข่าว": ("หัวข้อผลการตรวจสอบ", "headline of the verdict"),
    "เนื้อหาข่าว": ("คำอธิบายข้อเท็จจริง", "the explanation (the facts)"),
    "หน่วยงานที่ตรวจสอบ": ("หน่วยงานที่ตรวจสอบ (ภาษาไทย)", "verifying agency (Thai name)"),
    "ประเภทข่าว": ("ผลการตรวจสอบ: ข่าวปลอม / ข่าวบิดเบือน / ข่าวจริง", "verdict label in Thai"),
    "หมวดหมู่ของข่าว": ("หมวดหมู่ตามศูนย์ต่อต้านข่าวปลอม", "AFNC topic in Thai"),
    "จำนวนเข้าชม": ("ว่างเสมอ: ระบบไม่นับจำนวนผู้เข้าชมรายบุคคล", "always empty: khaojing does not count page views"),
    "Hashtag": ("แฮชแท็ก: หมวดหมู่, ผลการตรวจสอบ, ชื่อศูนย์", "hashtags: topic, label, the center's name"),
    "claim_id": ("รหัสประเด็นข่าว (ตรงกับไฟล์ claims)", "claim id (joins the claims file)"),
    "label": ("ผลการตรวจสอบ (รหัส): fake, distorted, true", "verdict label key: fake, distorted, true"),
    "label_en": ("ผลการตรวจสอบ (ภาษาอังกฤษ)", "verdict label in English"),
    "version": ("ฉบับที่ (มากกว่า 1 = มีการแก้ไข)", "version (above 1: the verdict was corrected)"),
    "published_at": ("เวลาเผยแพร่ฉบับปัจจุบัน ISO 8601 UTC", "current version published, ISO 8601 UTC"),
    "topic": ("หมวดหมู่ (รหัส)", "topic key"),
    "claim_text": ("ข้อความที่ส่งต่อกันตามที่เผยแพร่", "the claim as it circulated, as published"),
    "agency_en": ("หน่วยงานที่ตรวจสอบ (ภาษาอังกฤษ)", "verifying agency (English name)"),
    "sources": ("แหล่งข้อมูล (CSV: คั่นด้วย ' | ', JSONL: รายการ)", "sources (CSV: joined by ' | ', JSONL: a list)"),
    "url": ("ลิงก์หน้าผลการตรวจสอบ", "link to the public verdict page"),
}
CLAIM_COLUMNS = {
    "claim_id": ("รหัสประเด็นข่าว", "claim id"),
    "title": ("ข้อความที่ส่งต่อกันตามที่เผยแพร่ในผลการตรวจสอบ", "the claim as published with its verdict"),
    "topic": ("หมวดหมู่ (รหัส)", "topic key"),
    "first_seen_at": ("พบครั้งแรก ISO 8601 UTC", "first reported, ISO 8601 UTC"),
    "last_seen_at": ("พบล่าสุด ISO 8601 UTC", "last reported, ISO 8601 UTC"),
    "reports": ("จำนวนครั้งที่มีผู้แจ้ง/สอบถาม", "how many reports asked about it"),
    "verdict_label": ("ผลการตรวจสอบ (รหัส)", "verdict label key"),
    "verdict_url": ("ลิงก์หน้าผลการตรวจสอบ", "link to the public verdict page"),
}


def _table(columns: dict[str, tuple[str, str]]) -> str:
    lines = ["| column | คำอธิบาย | description |", "|---|---|---|"]
    def cell(text: str) -> str:  # a '|' inside a cell would end it (Markdown tables)
        return text.replace("|", "\\|")

    lines += [f"| {cell(name)} | {cell(th)} | {cell(en)} |" for name, (th, en) in columns.items()]
    return "\n".join(lines)


def data_dictionary(settings: Settings) -> str:
    return f"""# พจนานุกรมข้อมูล / Data dictionary — {settings.center_name_th} ({settings.center_name_en})

ไฟล์ข้อมูลเปิด: ผลการตรวจสอบที่เผยแพร่แล้ว และประเด็นข่าวที่มีผลการตรวจสอบ ในรูปแบบ CSV (UTF-8 มี BOM เปิดด้วย
Excel ได้) และ JSONL (หนึ่งบรรทัดต่อหนึ่งรายการ) ไม่มีข้อมูลผู้แจ้ง ข้อมูลติดต่อ หรือบันทึกภายในของเจ้าหน้าที่
เก้าคอลัมน์แรกของไฟล์ verdicts ตรงกับไฟล์ข้อมูลเปิดของศูนย์ต่อต้านข่าวปลอม

Open data: the published verdicts and the claims they answer, as CSV (UTF-8 with BOM, opens in Excel) and
JSONL (one record a line). No requester data, contact data or internal notes of the staff. The first nine
columns of the verdicts file are the fields of the AFNC's own open-data export.

## khaojing-verdicts.csv / .jsonl

{_table(VERDICT_COLUMNS)}

## khaojing-claims.csv / .jsonl

{_table(CLAIM_COLUMNS)}

`manifest.json` (/open-data/manifest.json): ชื่อไฟล์ จำนวนแถว ขนาด และ SHA-256 ของแต่ละไฟล์ และเวลาที่สร้าง
(`generated_at`) ไฟล์ที่ดาวน์โหลดแต่ละไฟล์มีค่า SHA-256 ใน header `X-Checksum-SHA256` ด้วย

`manifest.json` (/open-data/manifest.json): each file's name, rows, size and SHA-256, and when the files were
made (`generated_at`). Each download also carries its SHA-256 in the `X-Checksum-SHA256` header.
"""


def licence(settings: Settings) -> str:
    return f"""สัญญาอนุญาต / Licence: {settings.open_data_licence}

ข้อมูลนี้เผยแพร่โดย{settings.center_name_th} นำไปใช้ ดัดแปลง และเผยแพร่ต่อได้ โดยระบุที่มา
"{settings.center_name_th}" พร้อมลิงก์ {settings.base_url.rstrip('/')}/open-data

Published by the {settings.center_name_en}. You may use, adapt and share it, crediting
"{settings.center_name_en}" with a link to {settings.base_url.rstrip('/')}/open-data.
Verdicts are corrected when new facts arrive: use the latest files (the version column tells corrections).
"""


def documents(settings: Settings) -> dict[str, str]:
    return {"DATA-DICTIONARY.md": data_dictionary(settings), "LICENCE.txt": licence(settings)}
