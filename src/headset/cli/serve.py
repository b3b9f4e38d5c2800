"""`headset serve`: runs the service (API, live streams, metrics) with uvicorn."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from typing import Any

from headset.config import load_settings
from headset.core.errors import Invalid


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="run the service",
        description="Serves the API, the live streams and /metrics. Settings come from "
        "HEADSET_* environment variables (see docs/service.md); the database is migrated "
        "to the newest schema at start.",
    )
    parser.add_argument("--bind", help="address:port to listen on (default HEADSET_BIND)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from headset.api.app import create_app
    from headset.service.logs import configure_logging

    environ = dict(os.environ)
    if args.bind:
        environ["HEADSET_BIND"] = args.bind
    try:
        settings = load_settings(environ)
    except Invalid as error:
        print(f"headset serve: {error}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level)
    if settings.is_secret_generated:
        logging.getLogger("headset.service").warning(
            "HEADSET_SECRET_KEY is not set: sessions end when the service restarts, and "
            "mailboxes cannot store passwords"
        )
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_config=None,
        access_log=False,
        ws_max_size=1 << 20,
        # small JSON messages: compressing each costs more CPU than the bytes it saves
        ws_per_message_deflate=False,
    )
    return 0
