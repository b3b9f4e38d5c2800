"""Contact handling: what an agent (or their supervisor) does to live contacts and to their
own state — accept or reject an offer, end, wrap up, transfer, escalate, ask for a callback,
abandon, set the agent's state, write a note — one action each, outside the API.

The HTTP routes (api/routes/handling.py, contacts.py, agents.py) and the live stream's
command channel (api/routes/live_commands.py) call these same functions.
"""
