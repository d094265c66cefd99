"""Thai and English texts of the "Case" panels on the claim page and the report page (cases/panels.py)."""

from khaojing.messages import register

register(
    {
        "claimcase.title": {"th": "เรื่องตรวจสอบ", "en": "Case"},
        "claimcase.none": {"th": "ประเด็นข่าวนี้ยังไม่มีเรื่องตรวจสอบ", "en": "No case has been opened for this claim."},
        "claimcase.more": {"th": "และเรื่องที่ปิดแล้วอีก {n} เรื่อง", "en": "and {n} more closed cases"},
        "claimcase.open": {"th": "เปิดเรื่องตรวจสอบ", "en": "Open a case"},
        "claimcase.why_merged": {
            "th": "ประเด็นนี้ถูกรวมเข้ากับประเด็นอื่นแล้ว — เปิดเรื่องที่ประเด็นปลายทาง",
            "en": "This claim was merged: open a case on the claim it was merged into.",
        },
        "claimcase.why_dismissed": {
            "th": "ประเด็นนี้ถูกปิดไปแล้ว — บรรณาธิการนำเรื่องที่ปิดกลับมาตรวจสอบได้จากหน้าของเรื่อง",
            "en": "This claim was dismissed: an editor can take its dismissed case up again from the case's page.",
        },
        "claimcase.why_verified": {
            "th": "ประเด็นนี้มีผลการตรวจสอบแล้ว — หากต้องแก้ไขผล ให้เปิดเรื่องที่เผยแพร่แล้วเพื่อแก้ไข",
            "en": "This claim has a verdict: to correct it, reopen the published case.",
        },
    }
)
