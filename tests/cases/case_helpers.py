"""Helpers of the case tests: a claim from a real report, routable agencies, staff of every role, a fixed clock."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from helpers import PASSWORD
from khaojing.accounts.models import Agency, Role, User
from khaojing.accounts.service import hash_password
from khaojing.claims import service as claims
from khaojing.claims.models import Claim
from khaojing.intake.service import Submission, accept_report, get_or_create_source


@functools.lru_cache(maxsize=1)
def _password_hash() -> str:
    return hash_password(PASSWORD)


T0 = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)  # 09:00 in Bangkok


def make_claim(session, settings, text: str = "ดื่มน้ำมะนาวโซดาทุกเช้ารักษามะเร็งได้ 100%", *,  # noqa: ANN001
               harm: dict | None = None, topic: str = "health", at: dt.datetime = T0, who: str | None = None) -> Claim:
    source = get_or_create_source(session, kind="webform", name="webform")
    sub = Submission(text=text, received_at=at, requester_kind="email" if who else None, requester_value=who)
    report = accept_report(session, settings=settings, source=source, sub=sub, actor="system").report
    claim = claims.create_claim(session, report=report, title=text, match_text=text, norm_sha256="x" + text[:20],
                                topic=topic, topic_confidence=0.9, harm=harm or {})
    claim.created_at = at
    return claim


def make_agency(session, name: str = "กรมอนามัย", *, active: bool = True, topics: list | None = None,  # noqa: ANN001
                email: str = "liaison1@anamai.go.th") -> Agency:
    liaisons = [{"name": "สมชาย ใจดี", "position": "นักวิชาการ", "email": email, "phone": "02-590-4000"},
                {"name": "สมหญิง รักงาน", "position": "ผู้อำนวยการกอง", "phone": "02-590-4001"}]
    agency = Agency(name_th=name, name_en=None, topics=topics or ["health"], contact={}, liaisons=liaisons,
                    active=active)
    session.add(agency)
    session.flush()
    return agency


@dataclass
class Staff:
    analyst: User
    analyst2: User
    editor: User
    editor2: User
    admin: User
    officer: User
    agency: Agency
    other_agency: Agency
    other_officer: User


def make_staff(db) -> Staff:  # noqa: ANN001
    with db.unit_of_work() as session:
        agency = make_agency(session)
        other = make_agency(session, "สำนักงานคณะกรรมการอาหารและยา", email="fda@fda.moph.go.th")

        def user(name: str, role: Role, agency_id: int | None = None) -> User:
            # the same argon2 hash for everyone: hashing once per user made each test seconds slower
            person = User(username=name, password_hash=_password_hash(), role=role.value, agency_id=agency_id,
                          display_name=f"คุณ {name}", email=f"{name}@center.example", language="th")
            session.add(person)
            session.flush()
            return person

        return Staff(analyst=user("analyst", Role.analyst), analyst2=user("analyst2", Role.analyst),
                     editor=user("editor", Role.editor), editor2=user("editor2", Role.editor),
                     admin=user("admin", Role.admin), officer=user("officer", Role.agency_officer, agency.id),
                     agency=agency, other_agency=other,
                     other_officer=user("fdaofficer", Role.agency_officer, other.id))


def pdf_bytes(text: str = "statement") -> bytes:
    """A small, well-formed PDF (one empty page)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"]
    out, offsets = bytearray(b"%PDF-1.4\n% " + text.encode() + b"\n"), []
    for i, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


class Inbox:
    """What a real SMTP server on loopback received (aiosmtpd)."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, ANN201, N802
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"

    def parsed(self) -> list:  # noqa: ANN201
        from email import message_from_bytes
        from email.policy import default

        return [(rcpt, message_from_bytes(content, policy=default)) for _from, rcpt, content in self.messages]


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]

