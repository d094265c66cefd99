"""The public web report form and the tracking page."""
