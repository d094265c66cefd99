"""The demo's verification and enforcement halves: cases in every stage, agency requests and answers, a verdict
waiting for approval and one published, an evidence vault with a handover, and takedown requests.

Everything is made through the product's own services (state machine, guards, four eyes, audit, custody
signing), with dates spread over the last week before `now`: every record, audit row and custody entry carries the
time of its step in the story (loader.StoryClock), not the time of the loading. Loaded once: when the database
already has a case, an evidence item or a takedown, nothing is added. The demo's URLs end in .invalid (RFC 6761), so
the takedown re-check never sends a request to a real platform.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PIL import Image, ImageDraw
from sqlalchemy import select
from sqlalchemy.orm import Session

from khaojing.accounts.models import Agency, User
from khaojing.audit import service as audit
from khaojing.cases import collab, requests, verdicts
from khaojing.cases import service as cases
from khaojing.cases.files import check_file
from khaojing.cases.models import AgencyRequest, Case
from khaojing.claims.models import Claim, Verdict
from khaojing.enforcement import service as vault
from khaojing.enforcement import takedowns
from khaojing.enforcement.models import Evidence, Takedown
from khaojing.settings import Settings
from khaojing.thai.dates import format_date_numeric

if TYPE_CHECKING:
    from khaojing.demo.loader import StoryClock

MOPH, POLICE = "กระทรวงสาธารณสุข", "สำนักงานตำรวจแห่งชาติ"
DEMO_NOTE = "ข้อมูลสาธิต (เดโม): ไม่ใช่ผลการตรวจสอบจริงของหน่วยงาน"
SCAM_URL = "https://www.facebook.com.invalid/govhelp.th.official/posts/2569112001"
SCAM_FORM = "https://rabsit-thai.invalid/register"
SCAM_POST = ("ประกาศ! แจกเงินช่วยเหลือค่าครองชีพ 5,000 บาท สำหรับประชาชนที่ลงทะเบียนภายในวันนี้ เพียงกรอกชื่อ ที่อยู่ "
             "เบอร์โทร เลขบัญชี และเลขบัตรประชาชน เงินเข้าบัญชีภายใน 24 ชั่วโมง แชร์ต่อให้คนที่คุณรัก")
ASKING = ("จริงหรือ", "จริงไหม", "จริงหรือไม่", "จริงมั้ย", "จริงหรือคะ", "จริงหรือครับ", "จริงรึเปล่า")
M, H, D = dt.timedelta(minutes=1), dt.timedelta(hours=1), dt.timedelta(days=1)


@dataclass(frozen=True)
class Slot:
    name: str
    topics: tuple[str, ...]  # preferred first
    reasons: tuple[str, ...] = ()  # harm reasons (triage), preferred first
    by_property: bool = False  # rank by the harm to property rather than to life


# the scarcest first: finance and disaster claims are few, health claims many
SLOTS = (Slot("scam", ("finance",), ("phishing", "handout", "link_with_request"), by_property=True),
         Slot("researching", ("disaster", "security")),
         Slot("published", ("health",), ("fake_cure", "unapproved_remedy", "cure_claim")),
         Slot("in_review", ("other", "health"), ("vaccine_danger", "vaccine")),
         Slot("answered", ("health",), ("fake_cure", "unapproved_remedy", "cure_claim")),
         Slot("due_soon", ("health",)),
         Slot("new", ("policy", "other"), ("phishing", "handout"), by_property=True))


def _rank(value: object, preferred: tuple) -> int:
    return len(preferred) - preferred.index(value) if value in preferred else 0


def _score(claim: Claim, slot: Slot) -> tuple:
    harm = claim.harm or {}
    keys = [r.get("key") for r in harm.get("reasons") or [] if isinstance(r, dict)]
    level = float(harm.get("property" if slot.by_property else "life") or 0.0)
    asking = claim.title.rstrip(" ?!.").endswith(ASKING)  # a rumour someone asks about, rather than news
    return (_rank(claim.topic, slot.topics), max((_rank(k, slot.reasons) for k in keys), default=0), asking,
            round(level, 2), claim.priority, -claim.id)


def pick_claims(session: Session, now: dt.datetime) -> dict[str, Claim]:
    """Open claims from the demo's reports, first reported over a week ago (the cases' history fits after it)."""
    verdict = select(Verdict.claim_id)
    pool = list(session.scalars(select(Claim).where(Claim.status == "open", Claim.first_seen_at <= now - 8 * D,
                                                    ~Claim.id.in_(verdict)).order_by(Claim.id)))
    picked: dict[str, Claim] = {}
    for slot in SLOTS:
        if not pool:
            break
        best = max(pool, key=lambda c, s=slot: _score(c, s))
        picked[slot.name] = best
        pool.remove(best)
    return picked


# ---- files: the rumour as people saw it (drawn with the share cards' Thai font), and the chat it came in ----

def _canvas(height: int) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("RGB", (720, height), "#f0f2f5")
    return image, ImageDraw.Draw(image)


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def post_screenshot() -> bytes:
    from khaojing.publication.cards import font, wrap

    lines = wrap(SCAM_POST, font(26), 640, 7)
    image, draw = _canvas(400 + 40 * len(lines))
    draw.rectangle((0, 0, 720, 56), fill="#1877f2")
    draw.text((24, 28), "facebook", font=font(30, bold=True), fill="#ffffff", anchor="lm")
    draw.rectangle((16, 72, 704, image.height - 44), fill="#ffffff")
    draw.ellipse((36, 92, 92, 148), fill="#c0392b")
    draw.text((108, 100), "ศูนย์ช่วยเหลือประชาชน-ลงทะเบียนรับสิทธิ์", font=font(24, bold=True), fill="#050505")
    draw.text((108, 132), "ได้รับการสนับสนุน · 2 ชม.", font=font(20), fill="#65676b")
    y = 172
    for line in [*lines, "", "ลงทะเบียนด่วน สิทธิ์มีจำนวนจำกัด", SCAM_FORM]:
        draw.text((36, y), line, font=font(26), fill="#1a0dab" if line == SCAM_FORM else "#050505")
        y += 40
    draw.line((36, y + 10, 684, y + 10), fill="#ced0d4", width=2)
    draw.text((36, y + 28), "ถูกใจ 1.2 พัน   ความคิดเห็น 348 รายการ   แชร์ 2.1 พัน ครั้ง", font=font(20), fill="#65676b")
    draw.text((704, image.height - 12), "ภาพจำลองสำหรับเดโม", font=font(16), fill="#65676b", anchor="rd")
    return _png(image)


def form_screenshot() -> bytes:
    from khaojing.publication.cards import font

    image, draw = _canvas(760)
    draw.rectangle((0, 0, 720, 56), fill="#dadce0")
    draw.rounded_rectangle((16, 10, 704, 46), radius=18, fill="#ffffff")
    draw.text((36, 28), "ไม่ปลอดภัย | " + SCAM_FORM, font=font(20), fill="#202124", anchor="lm")
    draw.rectangle((40, 90, 680, 720), fill="#ffffff", outline="#0b5d1e", width=3)
    draw.text((360, 140), "ลงทะเบียนรับเงินช่วยเหลือ 5,000 บาท", font=font(32, bold=True), fill="#0b5d1e", anchor="mm")
    y = 200
    for label in ("ชื่อ-นามสกุล", "เลขบัตรประชาชน 13 หลัก", "เบอร์โทรศัพท์", "รหัส OTP ที่ได้รับทาง SMS"):
        draw.text((80, y), label, font=font(22), fill="#202124")
        draw.rectangle((80, y + 34, 640, y + 80), outline="#9aa0a6", width=2)
        y += 110
    draw.rounded_rectangle((200, y + 10, 520, y + 70), radius=10, fill="#0b5d1e")
    draw.text((360, y + 40), "ยืนยันรับสิทธิ์", font=font(28, bold=True), fill="#ffffff", anchor="mm")
    draw.text((704, 752), "ภาพจำลองสำหรับเดโม", font=font(16), fill="#5f6368", anchor="rd")
    return _png(image)


def chat_export(chatted: dt.datetime, saved: dt.datetime, settings: Settings) -> bytes:
    """A LINE group chat as its "export chat history" writes it (Buddhist-era dates, Bangkok time)."""
    day = format_date_numeric(chatted, settings.timezone)
    rows = [("09:14", "ป้าแดง", SCAM_POST), ("09:14", "ป้าแดง", SCAM_FORM),
            ("09:20", "น้องเมย์", "จริงเหรอคะป้า ลิงก์นี้ให้กรอกเลขบัตรประชาชนกับรหัส OTP ด้วยนะคะ"),
            ("09:22", "ป้าแดง", "ป้ากรอกไปแล้ว ยังไม่เห็นเงินเข้าเลย"),
            ("09:31", "ลุงชัย", "อย่ากดนะทุกคน น่าจะเป็นมิจฉาชีพ เดี๋ยวส่งให้ศูนย์ต่อต้านข่าวปลอมตรวจสอบ")]
    lines = ["[LINE] ประวัติการแชทในกลุ่ม \"ครอบครัวสุขสันต์\"",
             "วันที่บันทึก: " + format_date_numeric(saved, settings.timezone, with_time=True), "", day,
             *("\t".join(row) for row in rows), "", "(แชทจำลองสำหรับเดโม ชื่อในแชทเป็นชื่อสมมติ)"]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


# ---- the cases ----

@dataclass
class Ctx:
    session: Session
    settings: Settings
    users: dict[str, User]
    agencies: dict[str, Agency]
    now: dt.datetime
    clock: StoryClock

    def step_at(self, when: dt.datetime) -> dt.datetime:
        """The story's time of the next step: what it writes, and the audit rows it writes, carry it."""
        self.clock.set(when)
        return when

    def moves(self, case: Case, at: dt.datetime, *states: str) -> None:
        for i, state in enumerate(states):
            cases.transition(self.session, case_id=case.id, to_state=state, actor=self.users["analyst"],
                             now=self.step_at(at + i * 5 * M))

    def start(self, claim: Claim, at: dt.datetime, *, by: str = "analyst") -> Case:
        """Opened and taken by the analyst (or assigned by the editor), screened and being investigated."""
        case = cases.open_case(self.session, claim_id=claim.id, actor=self.users["analyst"],
                               settings=self.settings, now=self.step_at(at))
        actor = self.users[by]
        cases.assign(self.session, case_id=case.id, assignee_id=self.users["analyst"].id, actor=actor,
                     now=self.step_at(at + 10 * M), note="เร่งด่วน: เสี่ยงต่อชีวิตหรือทรัพย์สิน" if by == "editor" else None)
        self.moves(case, at + 15 * M, "screening", "investigating")
        return case

    def ask(self, case: Case, agency: str, at: dt.datetime, question: str, *, due: dt.datetime | None = None,
            files: list | None = None) -> AgencyRequest:
        return requests.send_requests(self.session, case_id=case.id, actor=self.users["analyst"],
                                      settings=self.settings, now=self.step_at(at), data=requests.RequestIn(
                                          agency_ids=[self.agencies[agency].id], question=question,
                                          claim_text=case.claim.title[:2000], due_at=due, files=files or []))[0]

    def answer(self, req: AgencyRequest, at: dt.datetime, text: str, label: str) -> None:
        requests.answer(self.session, request_id=req.id, officer=self.users["officer"], text=text,
                        proposed_label=label, files=[], settings=self.settings, now=self.step_at(at))

    def draft(self, case: Case, at: dt.datetime, label: str, headline: str, explanation: str, statement: str) -> None:
        self.moves(case, at, "drafting")
        verdicts.save_draft(self.session, case_id=case.id, actor=self.users["analyst"], settings=self.settings,
                            now=self.step_at(at + 20 * M), data=verdicts.DraftIn(
                                label=label, headline=headline, claim_text=case.claim.title[:2000],
                                explanation=f"{explanation}\n\n{DEMO_NOTE}", statements=[statement],
                                source_urls=["https://www.moph.go.th/"], agency_id=self.agencies[MOPH].id))
        verdicts.submit(self.session, case_id=case.id, actor=self.users["analyst"], now=self.step_at(at + H))


Q_HEALTH = ("ศูนย์ฯ ได้รับแจ้งข้อความนี้จากประชาชนหลายช่องทาง ขอความอนุเคราะห์ตรวจสอบว่าข้อความดังกล่าวถูกต้อง"
            "ตามข้อมูลของกระทรวงหรือไม่ และหากมีคำแนะนำที่ถูกต้องสำหรับประชาชน ขอให้แจ้งกลับภายในกำหนด")
A_CURE = ("กรมการแพทย์ได้ตรวจสอบแล้ว ปัจจุบันยังไม่มีหลักฐานทางการแพทย์ที่ยืนยันสรรพคุณด้านสุขภาพ"
          "ตามที่กล่าวอ้าง ข้อความมีการนำข้อมูลบางส่วนมาขยายความเกินจริง ขอให้ประชาชนปฏิบัติตามคำแนะนำของแพทย์ "
          "และสอบถามข้อมูลเพิ่มเติมได้ที่สายด่วนกรมควบคุมโรค 1422 (คำตอบสาธิต)")
A_VACCINE = ("กรมควบคุมโรคตรวจสอบแล้ว ข้อความดังกล่าวไม่ถูกต้อง ไม่มีข้อมูลทางวิชาการรองรับตามที่กล่าวอ้าง ขอให้ประชาชน"
             "ติดตามข้อมูลเรื่องวัคซีนจากกรมควบคุมโรค หรือสอบถามสายด่วน 1422 (คำตอบสาธิต)")


def _published(c: Ctx, claim: Claim) -> Case:
    now, editor = c.now, c.users["editor"]
    case = c.start(claim, now - 7 * D)
    req = c.ask(case, MOPH, now - 7 * D + 2 * H, Q_HEALTH)
    c.answer(req, now - 6 * D - 3 * H, A_CURE, "distorted")
    c.draft(case, now - 6 * D, "distorted", "ข่าวบิดเบือน อย่าแชร์! อ้างสรรพคุณด้านสุขภาพเกินจริง",
            "ยังไม่มีหลักฐานทางการแพทย์ยืนยันสรรพคุณตามที่กล่าวอ้าง กระทรวงสาธารณสุขแนะนำให้"
            "ปฏิบัติตามคำแนะนำของแพทย์", A_CURE)
    verdicts.approve_and_publish(c.session, case_id=case.id, actor=editor, settings=c.settings,
                                 now=c.step_at(now - 5 * D))
    return case


def _in_review(c: Ctx, claim: Claim) -> Case:
    now = c.now
    case = c.start(claim, now - 5 * D)
    req = c.ask(case, MOPH, now - 5 * D + 2 * H, Q_HEALTH)
    c.answer(req, now - 4 * D, A_VACCINE, "fake")
    c.draft(case, now - 3 * D, "fake", "ข่าวปลอม อย่าแชร์! กรมควบคุมโรคยืนยันข้อความไม่เป็นความจริง",
            "กรมควบคุมโรคตรวจสอบแล้ว ไม่มีข้อมูลทางวิชาการรองรับตามที่กล่าวอ้าง", A_VACCINE)
    collab.add_comment(c.session, case_id=case.id, actor=c.users["analyst"], now=c.step_at(now - 3 * D + 2 * H),
                       body="@editor ร่างผลการตรวจสอบพร้อมแล้ว อ้างคำตอบของกรมควบคุมโรค ช่วยตรวจและอนุมัติด้วยครับ")
    return case


def _answered(c: Ctx, claim: Claim) -> Case:
    case = c.start(claim, c.now - 3 * D)
    req = c.ask(case, MOPH, c.now - 3 * D + 2 * H, Q_HEALTH)
    c.answer(req, c.now - 2 * D + H, A_CURE, "distorted")
    return case


def _due_soon(c: Ctx, claim: Claim) -> Case:
    case = c.start(claim, c.now - 26 * H, by="editor")
    sent = c.now - 20 * H
    c.ask(case, MOPH, sent, Q_HEALTH + " เนื่องจากข้อความกำลังแพร่กระจายในกลุ่มไลน์ผู้สูงอายุ", due=sent + 24 * H)
    return case


def _researching(c: Ctx, claim: Claim) -> Case:
    case = c.start(claim, c.now - 2 * D, by="editor")
    collab.add_comment(c.session, case_id=case.id, actor=c.users["analyst"], now=c.step_at(c.now - 30 * H),
                       body="ค้นภาพต้นฉบับด้วย reverse image search แล้ว พบว่าภาพถูกเผยแพร่ครั้งแรกเมื่อหลายปีก่อน "
                            "กำลังเทียบกับประกาศของกรมอุตุนิยมวิทยาและ ปภ. ก่อนส่งคำถามถึงหน่วยงาน")
    return case


def _scam(c: Ctx, claim: Claim) -> tuple[Case, list[Evidence]]:
    """Opened four days ago; the reporter's files go into the vault, the police are asked, the next day the
    screenshot is handed over to an officer."""
    now, actor = c.now, audit.user_actor(c.users["analyst"].id)
    case = c.start(claim, now - 4 * D)
    shot, filed = post_screenshot(), now - 4 * D + 2 * H
    files = [(shot, "screenshot-facebook-post.png", "ภาพหน้าจอโพสต์บนเพจปลอม ถ่ายโดยผู้แจ้ง", SCAM_URL),
             (form_screenshot(), "screenshot-register-form.png", "หน้าลงทะเบียนที่ขอเลขบัตรประชาชนและรหัส OTP", SCAM_FORM),
             (chat_export(now - 5 * D, filed - H, c.settings), "line-chat-export.txt",
              "ไฟล์ส่งออกแชทกลุ่มไลน์ที่ผู้แจ้งส่งมา (มีผู้หลงเชื่อกรอกข้อมูล)", None)]
    items = [vault.record_upload(c.session, settings=c.settings, data=data, filename=name, actor=actor, case_id=case.id,
                                 note=note, source_url=url, now=c.step_at(filed + i * M))
             for i, (data, name, note, url) in enumerate(files)]
    checked = check_file(shot, max_bytes=c.settings.max_attachment_bytes, original_name="โพสต์เพจปลอม.png")
    c.ask(case, POLICE, now - 4 * D + 3 * H, "ขอให้ตรวจสอบเพจและลิงก์ลงทะเบียนที่แอบอ้างแจกเงิน ซึ่งหลอกเก็บเลขบัตร"
          "ประชาชนและรหัส OTP มีผู้เสียหายแจ้งเข้ามาแล้ว ขอทราบว่ามีการรับแจ้งความหรือดำเนินคดีแล้วหรือไม่", files=[checked])
    vault.handover(c.session, settings=c.settings, evidence_id=items[0].id, actor=actor, now=c.step_at(now - 3 * D),
                   recipient="พ.ต.ต. ธนกร ใจมั่น (เดโม) กองบังคับการปราบปรามการกระทำความผิดเกี่ยวกับอาชญากรรมทางเทคโนโลยี",
                   note="ส่งมอบชุดหลักฐานพร้อมหนังสือนำส่ง เพื่อประกอบการแจ้งความ")
    return case, items


Step = tuple[str, str, dt.timedelta]  # to status, what was said, how long after the step before


def _takedowns(c: Ctx, made: dict[str, Case], shot: Evidence | None) -> int:
    """Takedown requests, each made and moved at its time in the story (after its case's evidence or verdict)."""
    analyst, editor, now = c.users["analyst"], c.users["editor"], c.now
    scam, cure = made.get("scam"), made.get("published")
    plans: list[tuple[str, str, str, User, Case | None, dt.datetime, list[Step], str]] = [
        (SCAM_URL, "facebook", "scam", analyst, scam, now - 4 * D + 4 * H,
         [("sent", "ส่งผ่านช่องทางรายงานสำหรับหน่วยงานรัฐของ Meta", 10 * M)],
         "เพจแอบอ้างหน่วยงานรัฐ หลอกให้กรอกเลขบัตรประชาชนและรหัส OTP"),
        ("https://www.tiktok.com.invalid/@herbal.healing.th/video/7301122334455667788", "tiktok",
         "health_misinformation", analyst, cure, now - 5 * D + 2 * H,
         [("sent", "แนบผลการตรวจสอบที่เผยแพร่แล้ว", 10 * M),
          ("removed", "TikTok แจ้งว่าลบคลิปแล้ว ตรวจซ้ำไม่พบเนื้อหา", 2 * D)], "คลิปอ้างสรรพคุณด้านสุขภาพเกินจริง"),
        ("https://www.youtube.com.invalid/watch?v=DemoCure2569", "youtube", "false_content_s14", analyst, cure,
         now - 5 * D + 3 * H, [("sent", "ส่งคำขอพร้อมผลการตรวจสอบ", 10 * M),
                               ("refused", "YouTube ตอบว่าเนื้อหาไม่ขัดต่อนโยบายของแพลตฟอร์ม", 3 * D)],
         "คลิปเดียวกันที่อัปโหลดซ้ำ"),
        ("https://x.com.invalid/demo_account/status/1860000000000000001", "x", "lese_majeste", editor, None,
         now - 2 * D, [("sent", "ส่งตามคำขอของหน่วยงานรัฐ", 30 * M)],
         "คำขอประเภทการเมือง/มาตรา 112: นับแยกในรายงานความโปร่งใส"),
        ("https://line.me.invalid/R/ti/p/@govhelp-th", "line", "impersonation", analyst, scam, now - D, [],
         "บัญชีไลน์ทางการปลอมที่ลิงก์ในโพสต์ชี้ไป (ร่าง: รอรวบรวมหลักฐานเพิ่ม)"),
    ]
    for url, platform, reason, who, case, at, steps, note in plans:
        linked = shot is not None and scam is not None and case is scam
        td = takedowns.create(c.session, url=url, reason=reason, actor=who, platform=platform, note=note,
                              case_id=case.id if case else None, evidence_id=shot.id if linked else None,
                              now=c.step_at(at))
        for status, say, after in steps:
            at = c.step_at(at + after)
            takedowns.transition(c.session, settings=c.settings, takedown_id=td.id, to_status=status, actor=who,
                                 note=say, now=at)
            if status == "sent":
                takedowns.add_contact(c.session, takedown_id=td.id, actor=who, note=say, at=at,
                                      channel="platform_portal" if platform != "x" else "email")
    return len(plans)


BUILDERS: dict[str, Callable[[Ctx, Claim], Case]] = {
    "published": _published, "in_review": _in_review, "answered": _answered, "due_soon": _due_soon,
    "researching": _researching}


def already_loaded(session: Session) -> bool:
    return any(session.scalar(select(model.id).limit(1)) is not None for model in (Case, Evidence, Takedown))


def load_workflow(session: Session, *, settings: Settings, now: dt.datetime, clock: StoryClock) -> dict[str, int]:
    """The demo's cases, requests, verdicts, evidence and takedowns (nothing when any of them exists already), each
    step at its time in the story, which `clock` (entered) gives to the audit rows it writes."""
    if already_loaded(session):
        return {}
    users = {u.username: u for u in session.scalars(select(User).where(
        User.username.in_(("analyst", "editor", "officer"))))}
    agencies = {a.name_th: a for a in session.scalars(select(Agency).where(Agency.name_th.in_((MOPH, POLICE))))}
    if len(users) < 3 or len(agencies) < 2:
        return {}
    ctx = Ctx(session, settings, users, agencies, now, clock)
    picked = pick_claims(session, now)
    made: dict[str, Case] = {}
    items: list[Evidence] = []
    if "scam" in picked:
        made["scam"], items = _scam(ctx, picked["scam"])
    for name, build in BUILDERS.items():
        if name in picked:
            made[name] = build(ctx, picked[name])
    if "new" in picked:
        made["new"] = cases.open_case(session, claim_id=picked["new"].id, actor=users["analyst"], settings=settings,
                                      now=ctx.step_at(now - 25 * M))
    made_takedowns = _takedowns(ctx, made, items[0] if items else None)
    session.flush()
    return {"cases": len(made), "evidence": len(items), "takedowns": made_takedowns}
