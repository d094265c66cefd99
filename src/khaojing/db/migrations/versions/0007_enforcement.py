"""enforcement: evidence vault, custody log, takedowns

Revision ID: 0007
Revises: 0006
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text  # noqa: F401
from sqlalchemy.dialects import postgresql

import khaojing.db.base

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('method', sa.String(length=20), nullable=False),
    sa.Column('source_url', sa.Text(), nullable=True),
    sa.Column('final_url', sa.Text(), nullable=True),
    sa.Column('http_status', sa.Integer(), nullable=True),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('report_id', sa.Integer(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('content_type', sa.String(length=120), nullable=False),
    sa.Column('size_bytes', sa.BigInteger(), nullable=False),
    sa.Column('captured_at', khaojing.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('captured_by', sa.String(length=120), nullable=False),
    sa.Column('tool_version', sa.String(length=200), nullable=False),
    sa.Column('details', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('key_id', sa.String(length=64), nullable=False),
    sa.Column('record_hash', sa.String(length=64), nullable=False),
    sa.Column('signature', sa.String(length=120), nullable=False),
    sa.Column('disposed_at', khaojing.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_evidence_case_id_cases'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_evidence_report_id_reports'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence')),
    sa.UniqueConstraint('record_hash', name=op.f('uq_evidence_record_hash'))
    )
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.create_index('ix_evidence_captured_at', ['captured_at'], unique=False)
        batch_op.create_index('ix_evidence_case_id', ['case_id'], unique=False)

    op.create_table('custody_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('evidence_id', sa.Integer(), nullable=False),
    sa.Column('at', khaojing.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=120), nullable=False),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('data', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.Column('signature', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['evidence_id'], ['evidence.id'], name=op.f('fk_custody_events_evidence_id_evidence'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_custody_events')),
    sa.UniqueConstraint('hash', name=op.f('uq_custody_events_hash')),
    sa.UniqueConstraint('prev_hash', name=op.f('uq_custody_events_prev_hash'))
    )
    with op.batch_alter_table('custody_events', schema=None) as batch_op:
        batch_op.create_index('ix_custody_events_evidence_id', ['evidence_id'], unique=False)

    op.create_table('evidence_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('evidence_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size_bytes', sa.BigInteger(), nullable=False),
    sa.Column('content_type', sa.String(length=120), nullable=False),
    sa.Column('storage_path', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['evidence_id'], ['evidence.id'], name=op.f('fk_evidence_files_evidence_id_evidence'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_files'))
    )
    with op.batch_alter_table('evidence_files', schema=None) as batch_op:
        batch_op.create_index('ix_evidence_files_evidence_id', ['evidence_id'], unique=False)

    op.create_table('takedowns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('platform', sa.String(length=60), nullable=False),
    sa.Column('reason', sa.String(length=40), nullable=False),
    sa.Column('political', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('evidence_id', sa.Integer(), nullable=True),
    sa.Column('contact', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_by', sa.String(length=120), nullable=False),
    sa.Column('created_at', khaojing.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('status_since', khaojing.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('due_at', khaojing.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reminded_at', khaojing.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_at', khaojing.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_check', sa.String(length=20), nullable=True),
    sa.Column('last_checked_at', khaojing.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('next_check_at', khaojing.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_takedowns_case_id_cases'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['evidence_id'], ['evidence.id'], name=op.f('fk_takedowns_evidence_id_evidence'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_takedowns'))
    )
    with op.batch_alter_table('takedowns', schema=None) as batch_op:
        batch_op.create_index('ix_takedowns_case_id', ['case_id'], unique=False)
        batch_op.create_index('ix_takedowns_next_check_at', ['next_check_at'], unique=False)
        batch_op.create_index('ix_takedowns_status_due_at', ['status', 'due_at'], unique=False)

    op.create_table('takedown_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('takedown_id', sa.Integer(), nullable=False),
    sa.Column('at', khaojing.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('from_status', sa.String(length=30), nullable=True),
    sa.Column('to_status', sa.String(length=30), nullable=True),
    sa.Column('channel', sa.String(length=30), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('data', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.ForeignKeyConstraint(['takedown_id'], ['takedowns.id'], name=op.f('fk_takedown_events_takedown_id_takedowns'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_takedown_events'))
    )
    with op.batch_alter_table('takedown_events', schema=None) as batch_op:
        batch_op.create_index('ix_takedown_events_kind_at', ['kind', 'at'], unique=False)
        batch_op.create_index('ix_takedown_events_takedown_id', ['takedown_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('takedown_events', schema=None) as batch_op:
        batch_op.drop_index('ix_takedown_events_takedown_id')
        batch_op.drop_index('ix_takedown_events_kind_at')

    op.drop_table('takedown_events')
    with op.batch_alter_table('takedowns', schema=None) as batch_op:
        batch_op.drop_index('ix_takedowns_status_due_at')
        batch_op.drop_index('ix_takedowns_next_check_at')
        batch_op.drop_index('ix_takedowns_case_id')

    op.drop_table('takedowns')
    with op.batch_alter_table('evidence_files', schema=None) as batch_op:
        batch_op.drop_index('ix_evidence_files_evidence_id')

    op.drop_table('evidence_files')
    with op.batch_alter_table('custody_events', schema=None) as batch_op:
        batch_op.drop_index('ix_custody_events_evidence_id')

    op.drop_table('custody_events')
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.drop_index('ix_evidence_case_id')
        batch_op.drop_index('ix_evidence_captured_at')

    op.drop_table('evidence')
