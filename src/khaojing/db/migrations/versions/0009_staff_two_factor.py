"""accounts: TOTP two-factor login for staff

Revision ID: 0009
Revises: 0008
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

import khaojing.db.base

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('staff_two_factor',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('secret_enc', sa.Text(), nullable=False),
    sa.Column('confirmed_at', khaojing.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_step', sa.Integer(), nullable=True),
    sa.Column('recovery_hashes', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'),
              nullable=False),
    sa.Column('created_at', khaojing.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_staff_two_factor_user_id_users'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_staff_two_factor'))
    )


def downgrade() -> None:
    op.drop_table('staff_two_factor')
