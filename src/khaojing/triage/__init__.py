"""Triage: topic, harm priority and claim-worthiness of each report."""
