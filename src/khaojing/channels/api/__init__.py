"""The partner JSON API under /api/v1."""
