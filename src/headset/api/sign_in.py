"""Moved to `headset.accounts` (sign_in.py, sessions.py); `end_access` stays importable from
here until api/routes/tenants.py imports it from accounts/sessions.py."""

from headset.accounts.sessions import end_access as end_access
