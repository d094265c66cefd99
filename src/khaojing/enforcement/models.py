"""Enforcement tables: evidence, custody log, takedowns (issue 8)."""
