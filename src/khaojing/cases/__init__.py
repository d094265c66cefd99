"""Cases: the verification work on a claim, agencies, deadlines and verdicts."""
