"""Demo data for a local try-out: agencies, users with fixed passwords, real Thai reports and verdicts."""
