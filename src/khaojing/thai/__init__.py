"""Thai language core: normalisation, word and sentence tokenisation, Buddhist-era dates, Thai digits, OCR repair."""
