"""Publication: public verdict pages, share cards, feeds, ClaimReview, the public API and notifications."""
