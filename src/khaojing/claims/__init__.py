"""Claims: one rumour with all its variants (reports)."""
