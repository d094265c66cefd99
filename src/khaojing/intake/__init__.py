"""Intake: accept reports from every channel durably and idempotently, store media, enqueue triage."""
