"""The LINE channel: webhook (in), Messaging API client (out), Flex message builders, rich menu."""
