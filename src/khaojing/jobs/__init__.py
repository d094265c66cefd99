"""Durable job queue in the database, and the worker that runs registered handlers by name."""
