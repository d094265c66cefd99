"""Publication tables: topic subscriptions, partner webhooks, open-data files (issue 6)."""
