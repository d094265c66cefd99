"""Enforcement job handlers (issue 8)."""
