"""Trends and listening job handlers (issue 7)."""
