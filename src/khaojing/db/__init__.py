"""Database: engine with SQLite pragmas, session factory, unit of work, declarative Base."""

from khaojing.db.base import Base, utcnow
from khaojing.db.engine import make_engine
from khaojing.db.session import Database

__all__ = ["Base", "Database", "make_engine", "utcnow"]
