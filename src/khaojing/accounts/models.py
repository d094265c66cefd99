"""Tables for staff users, their roles, agencies, and login attempts."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import ForeignKey, Index, String, Text, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from khaojing.db.base import Base, utcnow


class Role(str, enum.Enum):
    admin = "admin"
    editor = "editor"
    analyst = "analyst"
    agency_officer = "agency_officer"


class Agency(Base):
    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_th: Mapped[str] = mapped_column(String(300), unique=True)
    name_en: Mapped[str | None] = mapped_column(String(300))
    parent_ministry: Mapped[str | None] = mapped_column(String(300))
    topics: Mapped[list] = mapped_column(default=list)
    contact: Mapped[dict] = mapped_column(default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # cases (issue 5): two named liaison officers [{name, position, email, phone}]; routed to only when active
    liaisons: Mapped[list] = mapped_column(default=list, server_default=text("'[]'"))
    active: Mapped[bool] = mapped_column(default=False, server_default=false())

    users: Mapped[list[User]] = relationship(back_populates="agency")


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    password_hash: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(20))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id", ondelete="SET NULL"))
    language: Mapped[str] = mapped_column(String(5), default="th")
    is_active: Mapped[bool] = mapped_column(default=True)
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[dt.datetime | None]

    agency: Mapped[Agency | None] = relationship(back_populates="users")


class LoginAttempt(Base):
    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_username_at", "username", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80))
    ip: Mapped[str | None] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    success: Mapped[bool] = mapped_column(default=False)


class StaffTwoFactor(Base):
    """A staff user's TOTP second factor (security, issue 9): the secret encrypted with a key derived from the
    secret key, the last time step used (a code is accepted once), and keyed hashes of the unused recovery codes."""

    __tablename__ = "staff_two_factor"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    secret_enc: Mapped[str] = mapped_column(Text)
    confirmed_at: Mapped[dt.datetime | None]
    last_step: Mapped[int | None]
    recovery_hashes: Mapped[list] = mapped_column(default=list)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
