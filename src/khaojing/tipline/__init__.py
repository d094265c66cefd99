"""The tipline: what citizens send over chat (LINE), the conversation with them, and every message we send back."""
