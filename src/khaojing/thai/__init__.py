"""Thai language helpers: Buddhist-era dates and Thai digits (normalisation and tokenisation come next)."""
