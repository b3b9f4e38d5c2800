"""`headset user create`: adds a user (the first admin, typically) straight to the database."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import Any

from headset.config import load_settings
from headset.core.errors import HeadsetError

ROLES = ("admin", "manager", "supervisor", "team_leader", "qa", "agent")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("user", help="manage users")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    create = actions.add_parser(
        "create",
        help="create a user",
        description="Creates a user. The password is read from HEADSET_NEW_PASSWORD or asked "
        "for at the prompt (never taken from the command line, where others could see it).",
    )
    create.add_argument("username")
    create.add_argument("--role", choices=ROLES, required=True)
    create.add_argument("--name", help="display name (default: the username)")
    create.add_argument("--tenant", action="append", default=[], help="tenant id (repeatable)")
    create.add_argument("--url", help="database URL (default HEADSET_DATABASE_URL)")
    create.set_defaults(func=run_create)


def run_create(args: argparse.Namespace) -> int:
    from headset.access.passwords import Passwords
    from headset.accounts.set_up import create_user
    from headset.storage.migrate import upgrade

    url = args.url or load_settings(os.environ).database_url
    password = os.environ.get("HEADSET_NEW_PASSWORD") or getpass.getpass("password: ")
    try:
        upgrade(url)
        user_id = create_user(
            url,
            Passwords(),
            args.username,
            args.name or args.username,
            args.role,
            password,
            args.tenant,
        )
    except HeadsetError as error:
        print(f"headset user create: {error}", file=sys.stderr)
        return 2
    print(f"created {args.role} {args.username} ({user_id})")
    return 0
