"""LINE tipline: inbound events, conversations, the outbox and the blocklist

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 18:07:33.871547
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import khaojing.db.base
from sqlalchemy import Text  # noqa: F401
from sqlalchemy.dialects import postgresql

# Server defaults on NOT NULL columns that have a natural value, so rows written by hand or by older code are valid.

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('outbound_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dedupe_key', sa.String(length=200), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False, server_default='line'),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('recipients', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False, server_default='[]'),
    sa.Column('payload', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False, server_default='{}'),
    sa.Column('reply_token', sa.String(length=255), nullable=True),
    sa.Column('reply_token_at', khaojing.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('retry_key', sa.String(length=36), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False, server_default='queued'),
    sa.Column('attempts', sa.Integer(), nullable=False, server_default='0'),
    sa.Column('uncertain', sa.Boolean(), nullable=False, server_default=sa.false()),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('sent_via', sa.String(length=10), nullable=True),
    sa.Column('created_at', khaojing.db.base.UTCDateTime(timezone=True), nullable=False, server_default=sa.func.current_timestamp()),
    sa.Column('sent_at', khaojing.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbound_messages')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_outbound_messages_dedupe_key'))
    )
    with op.batch_alter_table('outbound_messages', schema=None) as batch_op:
        batch_op.create_index('ix_outbound_messages_status_created', ['status', 'created_at'], unique=False)

    op.create_table('blocked',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('requester_id', sa.Integer(), nullable=True),
    sa.Column('key_hash', sa.String(length=64), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False, server_default=''),
    sa.Column('until', khaojing.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_by', sa.String(length=120), nullable=False),
    sa.Column('created_at', khaojing.db.base.UTCDateTime(timezone=True), nullable=False, server_default=sa.func.current_timestamp()),
    sa.ForeignKeyConstraint(['requester_id'], ['requesters.id'], name=op.f('fk_blocked_requester_id_requesters'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_blocked'))
    )
    with op.batch_alter_table('blocked', schema=None) as batch_op:
        batch_op.create_index('ix_blocked_key_hash', ['key_hash'], unique=False)
        batch_op.create_index('ix_blocked_requester_id', ['requester_id'], unique=False)

    op.create_table('conversations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('requester_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False, server_default='{}'),
    sa.Column('expires_at', khaojing.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_at', khaojing.db.base.UTCDateTime(timezone=True), nullable=False, server_default=sa.func.current_timestamp()),
    sa.Column('updated_at', khaojing.db.base.UTCDateTime(timezone=True), nullable=False, server_default=sa.func.current_timestamp()),
    sa.ForeignKeyConstraint(['requester_id'], ['requesters.id'], name=op.f('fk_conversations_requester_id_requesters'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conversations')),
    sa.UniqueConstraint('requester_id', name=op.f('uq_conversations_requester_id'))
    )
    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.create_index('ix_conversations_expires_at', ['expires_at'], unique=False)

    op.create_table('inbound_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('webhook_event_id', sa.String(length=100), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False, server_default='line'),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('message_type', sa.String(length=20), nullable=True),
    sa.Column('source_type', sa.String(length=10), nullable=True),
    sa.Column('requester_id', sa.Integer(), nullable=True),
    sa.Column('group_hash', sa.String(length=64), nullable=True),
    sa.Column('reply_token', sa.String(length=255), nullable=True),
    sa.Column('reply_token_at', khaojing.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('body', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False, server_default='{}'),
    sa.Column('is_redelivery', sa.Boolean(), nullable=False, server_default=sa.false()),
    sa.Column('occurred_at', khaojing.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False, server_default='received'),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', khaojing.db.base.UTCDateTime(timezone=True), nullable=False, server_default=sa.func.current_timestamp()),
    sa.Column('processed_at', khaojing.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['requester_id'], ['requesters.id'], name=op.f('fk_inbound_events_requester_id_requesters'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inbound_events')),
    sa.UniqueConstraint('webhook_event_id', name=op.f('uq_inbound_events_webhook_event_id'))
    )
    with op.batch_alter_table('inbound_events', schema=None) as batch_op:
        batch_op.create_index('ix_inbound_events_reply_token_at', ['reply_token_at'], unique=False)
        batch_op.create_index('ix_inbound_events_requester_created', ['requester_id', 'created_at'], unique=False)
        batch_op.create_index('ix_inbound_events_status_created', ['status', 'created_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('inbound_events', schema=None) as batch_op:
        batch_op.drop_index('ix_inbound_events_status_created')
        batch_op.drop_index('ix_inbound_events_requester_created')
        batch_op.drop_index('ix_inbound_events_reply_token_at')

    op.drop_table('inbound_events')
    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.drop_index('ix_conversations_expires_at')

    op.drop_table('conversations')
    with op.batch_alter_table('blocked', schema=None) as batch_op:
        batch_op.drop_index('ix_blocked_requester_id')
        batch_op.drop_index('ix_blocked_key_hash')

    op.drop_table('blocked')
    with op.batch_alter_table('outbound_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_outbound_messages_status_created')

    op.drop_table('outbound_messages')
