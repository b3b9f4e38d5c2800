"""`headset vault rewrap` and `headset vault new-key`: the vault's master keys.

Rotating the master key, without stopping the service: make a new key (`new-key`), configure
it as the master key and the previous one as HEADSET_OLD_MASTER_KEY (or _FILE), restart the
service's processes, run `rewrap`, then remove the old key (docs/data-protection.md).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import sys
from typing import Any

from headset.config import load_settings
from headset.core.errors import HeadsetError
from headset.vault.providers import KeyUnavailable, WrongKey


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("vault", help="the master keys of encrypted data")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    rewrap = actions.add_parser(
        "rewrap",
        help="re-wrap every tenant's data key under the active master key",
        description="Re-wraps every stored data key not under the active master key (the "
        "HEADSET_MASTER_KEY, _FILE or PKCS11 settings). The master key that wrapped each one "
        "must be configured too, as HEADSET_OLD_MASTER_KEY or _FILE. The service may keep "
        "running: a data key's bytes do not change.",
    )
    rewrap.add_argument("--url", help="database URL (default HEADSET_DATABASE_URL)")
    rewrap.set_defaults(func=run_rewrap)
    new_key = actions.add_parser(
        "new-key", help="print a fresh master key (base64 of 32 random bytes)"
    )
    new_key.set_defaults(func=run_new_key)


def run_rewrap(args: argparse.Namespace) -> int:
    try:
        count = asyncio.run(_rewrap(args.url))
    except (HeadsetError, KeyUnavailable, WrongKey) as error:
        print(f"headset vault rewrap: {error}", file=sys.stderr)
        return 2
    print(f"re-wrapped {count} data keys")
    return 0


async def _rewrap(url: str | None) -> int:
    from headset.core.clock import SystemClock
    from headset.service.tenant_keys import TenantKeys, in_transaction
    from headset.storage.database import make_engine, read_only
    from headset.storage.migrate import upgrade
    from headset.vault.configured import key_ring

    settings = load_settings(os.environ)
    url = url or settings.database_url
    ring = key_ring(settings)
    await asyncio.to_thread(upgrade, url)
    db = make_engine(url)
    try:
        keys = TenantKeys(in_transaction(db), read_only(db), ring, SystemClock())
        return await keys.rewrap_all()
    finally:
        db.dispose()


def run_new_key(args: argparse.Namespace) -> int:
    print(base64.b64encode(os.urandom(32)).decode())
    return 0
