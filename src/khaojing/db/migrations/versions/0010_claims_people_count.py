"""claims: requester_count counts each report without a requester as one person

A web-form report sent without contact details has no requester; claims reported only that way showed "0 people".
The rule is intake.requesters.people_count: a requester once, each report without one as one person. Priorities
are refreshed with the claim's next report (their "reporters" part moves by at most a few points).

Revision ID: 0010
Revises: 0009
"""
from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("UPDATE claims SET requester_count = ("
               "SELECT COUNT(DISTINCT r.requester_id) + SUM(CASE WHEN r.requester_id IS NULL THEN 1 ELSE 0 END) "
               "FROM reports r WHERE r.claim_id = claims.id) "
               "WHERE EXISTS (SELECT 1 FROM reports r WHERE r.claim_id = claims.id AND r.requester_id IS NULL)")


def downgrade() -> None:
    op.execute("UPDATE claims SET requester_count = ("
               "SELECT COUNT(DISTINCT r.requester_id) FROM reports r WHERE r.claim_id = claims.id) "
               "WHERE EXISTS (SELECT 1 FROM reports r WHERE r.claim_id = claims.id AND r.requester_id IS NULL)")
