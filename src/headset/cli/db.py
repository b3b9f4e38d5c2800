"""`headset db upgrade`: brings the database schema to the newest migration."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from headset.config import load_settings
from headset.core.errors import Invalid


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("db", help="database maintenance")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    upgrade = actions.add_parser("upgrade", help="apply every pending migration")
    upgrade.add_argument("--url", help="database URL (default HEADSET_DATABASE_URL)")
    upgrade.set_defaults(func=run_upgrade)


def run_upgrade(args: argparse.Namespace) -> int:
    from headset.storage.migrate import current_revision, upgrade

    try:
        url = args.url or load_settings(os.environ).database_url
    except Invalid as error:
        print(f"headset db upgrade: {error}", file=sys.stderr)
        return 2
    upgrade(url)
    print(f"database at revision {current_revision(url)}")
    return 0
