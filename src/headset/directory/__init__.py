"""The directory: the actions that create, change and delete a tenant's configuration.

Beside the routing engine as the mailroom is beside `mail/`: agents, queues, teams, skills,
codes, canned responses, chat widgets, IVR flows and prompts, API tokens, webhooks, tenants,
users and memberships. Every change is one action that submits one operation through the
engine host with its rows and its typed directory event (`events.py`); the per-kind
boilerplate (load or 404, tenant check, save, event, delete with its checks) is written once
in `registrar.py` and described once per kind (a `Kind` in the kind's own module).
"""
