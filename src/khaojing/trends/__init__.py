"""Trends: aggregates, the funnel, burst detection, dashboards and periodic reports (issue 7)."""
