"""Web edge: templates, static files, i18n, sessions, CSRF and security headers (no business rules here)."""
