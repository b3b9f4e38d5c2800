"""Authentication and authorization primitives: roles, permissions, passwords, TOTP, lockout."""
