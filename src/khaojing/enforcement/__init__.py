"""Enforcement: takedown requests to platforms and sources, and the legal evidence vault (issue 8)."""
