"""Matching: find the claims a text, link or image is about (exact, near-duplicate, lexical, semantic)."""
