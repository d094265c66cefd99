"""Imports every table so that Base.metadata is complete (Alembic, tests, create_all)."""

from khaojing.accounts.models import Agency, LoginAttempt, Role, User
from khaojing.audit.models import AuditEvent
from khaojing.cases.models import Case, Verdict, VerdictLabel
from khaojing.claims.models import Claim, ClaimFingerprint, IndexChange, TextEmbedding
from khaojing.db.base import Base
from khaojing.intake.models import ApiKey, ContactPoint, ImportRun, Media, Report, Requester, Source
from khaojing.jobs.models import Job

__all__ = ["Agency", "ApiKey", "AuditEvent", "Base", "Case", "Claim", "ClaimFingerprint", "IndexChange", "TextEmbedding", "ContactPoint", "ImportRun", "Job",
           "LoginAttempt", "Media", "Report", "Requester", "Role", "Source", "User", "Verdict", "VerdictLabel"]
