"""Trends and social-listening tables (issue 7)."""
