"""Accounts: the actions of people who sign in (sign-in, sessions, password, two-factor).

The rules (password policy, lockout, TOTP, tokens, CSRF) live in `headset.access`; this
package reads and writes the accounts' rows and sessions (docs/access.md).
"""
