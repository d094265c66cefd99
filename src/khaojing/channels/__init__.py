"""Channel adapters (web form, partner API, LINE, feeds): translate to and from service calls, no rules."""
