"""publication: topic subscriptions, partner webhooks, open-data files

Revision ID: 0006
Revises: 0005
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

import khaojing.db.base

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pub_subscribers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("topics", sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"), nullable=False),
        sa.Column("created_at", khaojing.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("confirmed_at", khaojing.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("unsubscribed_at", khaojing.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pub_subscribers")),
        sa.UniqueConstraint("email", name=op.f("uq_pub_subscribers_email")),
    )
    op.create_table(
        "pub_partner_webhooks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("secret", sa.String(length=100), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("created_at", khaojing.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("removed_at", khaojing.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"], name=op.f("fk_pub_partner_webhooks_source_id_sources"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pub_partner_webhooks")),
        sa.UniqueConstraint("name", name=op.f("uq_pub_partner_webhooks_name")),
    )
    op.create_table(
        "pub_webhook_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("webhook_id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("verdict_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(length=20), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", khaojing.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_status", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", khaojing.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", khaojing.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["webhook_id"], ["pub_partner_webhooks.id"],
                                name=op.f("fk_pub_webhook_deliveries_webhook_id_pub_partner_webhooks"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pub_webhook_deliveries")),
        sa.UniqueConstraint("webhook_id", "verdict_id", "version",
                            name=op.f("uq_pub_webhook_deliveries_webhook_id_verdict_id_version")),
    )
    with op.batch_alter_table("pub_webhook_deliveries", schema=None) as batch_op:
        batch_op.create_index("ix_pub_webhook_deliveries_status_next", ["status", "next_attempt_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("pub_webhook_deliveries", schema=None) as batch_op:
        batch_op.drop_index("ix_pub_webhook_deliveries_status_next")
    op.drop_table("pub_webhook_deliveries")
    op.drop_table("pub_partner_webhooks")
    op.drop_table("pub_subscribers")
