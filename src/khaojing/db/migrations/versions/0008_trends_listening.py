"""trends and social listening: feed sources, watchlists, aggregates

Revision ID: 0008
Revises: 0007
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text  # noqa: F401
from sqlalchemy.dialects import postgresql

import khaojing.db.base

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('trend_bursts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('key', sa.Integer(), nullable=False),
    sa.Column('hour', khaojing.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('baseline', sa.Float(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('detected_at', khaojing.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('label', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trend_bursts')),
    sa.UniqueConstraint('kind', 'key', 'hour', name=op.f('uq_trend_bursts_kind_key_hour'))
    )
    with op.batch_alter_table('trend_bursts', schema=None) as batch_op:
        batch_op.create_index('ix_trend_bursts_detected_at', ['detected_at'], unique=False)

    op.create_table('trend_cache',
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('data', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('computed_at', khaojing.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_trend_cache'))
    )
    op.create_table('trend_daily',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('metric', sa.String(length=20), nullable=False),
    sa.Column('topic', sa.String(length=80), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('n', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trend_daily')),
    sa.UniqueConstraint('day', 'metric', 'topic', 'channel', name=op.f('uq_trend_daily_day_metric_topic_channel'))
    )
    op.create_table('trend_key_daily',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('key', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trend_key_daily')),
    sa.UniqueConstraint('kind', 'key', 'day', name=op.f('uq_trend_key_daily_kind_key_day'))
    )
    with op.batch_alter_table('trend_key_daily', schema=None) as batch_op:
        batch_op.create_index('ix_trend_key_daily_kind_day', ['kind', 'day'], unique=False)

    op.create_table('trend_state',
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('value', sa.String(length=200), nullable=False),
    sa.Column('updated_at', khaojing.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_trend_state'))
    )
    op.create_table('watchlists',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('phrases', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('topic', sa.String(length=80), nullable=True),
    sa.Column('priority_boost', sa.Float(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', khaojing.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_watchlists')),
    sa.UniqueConstraint('name', name=op.f('uq_watchlists_name'))
    )
    op.create_table('feed_sources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('url', sa.String(length=2048), nullable=False),
    sa.Column('item_path', sa.String(length=200), nullable=True),
    sa.Column('fields', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('topic', sa.String(length=80), nullable=True),
    sa.Column('every_minutes', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('etag', sa.String(length=300), nullable=True),
    sa.Column('last_modified', sa.String(length=100), nullable=True),
    sa.Column('state', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('next_fetch_at', khaojing.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_fetch_at', khaojing.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_ok_at', khaojing.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_error_at', khaojing.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('items_total', sa.BigInteger(), nullable=False),
    sa.Column('last_items', sa.Integer(), nullable=False),
    sa.Column('created_at', khaojing.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_feed_sources_source_id_sources'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feed_sources')),
    sa.UniqueConstraint('name', name=op.f('uq_feed_sources_name')),
    sa.UniqueConstraint('source_id', name=op.f('uq_feed_sources_source_id'))
    )
    with op.batch_alter_table('feed_sources', schema=None) as batch_op:
        batch_op.create_index('ix_feed_sources_active_next_fetch_at', ['active', 'next_fetch_at'], unique=False)

    op.create_table('watch_hits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('watchlist_id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('at', khaojing.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('phrase', sa.String(length=200), nullable=False),
    sa.Column('boosted', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_watch_hits_report_id_reports'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['watchlist_id'], ['watchlists.id'], name=op.f('fk_watch_hits_watchlist_id_watchlists'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_watch_hits')),
    sa.UniqueConstraint('watchlist_id', 'report_id', name=op.f('uq_watch_hits_watchlist_id_report_id'))
    )
    with op.batch_alter_table('watch_hits', schema=None) as batch_op:
        batch_op.create_index('ix_watch_hits_at', ['at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('watch_hits', schema=None) as batch_op:
        batch_op.drop_index('ix_watch_hits_at')

    op.drop_table('watch_hits')
    with op.batch_alter_table('feed_sources', schema=None) as batch_op:
        batch_op.drop_index('ix_feed_sources_active_next_fetch_at')

    op.drop_table('feed_sources')
    op.drop_table('watchlists')
    op.drop_table('trend_state')
    with op.batch_alter_table('trend_key_daily', schema=None) as batch_op:
        batch_op.drop_index('ix_trend_key_daily_kind_day')

    op.drop_table('trend_key_daily')
    op.drop_table('trend_daily')
    op.drop_table('trend_cache')
    with op.batch_alter_table('trend_bursts', schema=None) as batch_op:
        batch_op.drop_index('ix_trend_bursts_detected_at')

    op.drop_table('trend_bursts')
