"""Users, roles, agencies, authentication and permissions."""
