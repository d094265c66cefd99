"""Imports every table so that Base.metadata is complete (Alembic, tests, create_all)."""

import khaojing.enforcement.models  # noqa: F401,E402  (enforcement, issue 8)
import khaojing.publication.models  # noqa: F401,E402  (publication, issue 6)
import khaojing.trends.models  # noqa: F401,E402  (trends and listening, issue 7)
from khaojing.accounts.models import Agency, LoginAttempt, Role, User
from khaojing.audit.models import AuditEvent
from khaojing.cases.models import (  # noqa: F401  (cases, issue 5)
    AgencyAnswer,
    AgencyRequest,
    Attachment,
    Case,
    CaseLink,
    CaseStateChange,
    Comment,
    Notice,
    VerdictVersion,
)
from khaojing.claims.models import Claim, ClaimFingerprint, IndexChange, TextEmbedding, Verdict, VerdictLabel
from khaojing.db.base import Base
from khaojing.intake.models import ApiKey, ContactPoint, ImportRun, Media, Report, Requester, Source
from khaojing.jobs.models import Job
from khaojing.tipline.models import Blocked, Conversation, InboundEvent, OutboundMessage  # noqa: F401

__all__ = ["Agency", "ApiKey", "AuditEvent", "Base", "Case", "Claim", "ClaimFingerprint", "ContactPoint",
           "ImportRun", "IndexChange", "Job", "LoginAttempt", "Media", "Report", "Requester", "Role", "Source",
           "TextEmbedding", "User", "Verdict", "VerdictLabel"]
