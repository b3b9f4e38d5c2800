"""`headset demo`: a living contact center on a fresh SQLite database, served locally.

Two tenants (a credit union and a telecom provider) with teams, queues, skills, dispositions,
chat widgets, one person per role, simulated customers chatting and creating contacts, and
simulated agents working them; the web UI and the API on one address.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import shutil
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

DEFAULT_DIR = Path("headset-demo")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="serve a living demo center on a fresh SQLite database",
        description="Creates ./headset-demo/headset.db anew, seeds two demo tenants with "
        "people, queues, chat widgets and simulated traffic, and serves the web UI and the API "
        "until Ctrl-C.",
    )
    parser.add_argument(
        "--bind", default="127.0.0.1:8000", help="address:port (default %(default)s)"
    )
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="folder for the database")
    parser.add_argument("--seconds", type=float, default=0, help="stop after this long (0: never)")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the simulated traffic")
    parser.add_argument(
        "--contact-every", type=float, default=4.0, help="mean seconds between new contacts"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_demo(args))
    return 0


async def _demo(args: argparse.Namespace) -> None:
    import httpx
    import uvicorn

    from headset.access.passwords import Passwords
    from headset.accounts.set_up import create_user
    from headset.api.app import create_app
    from headset.config import Settings
    from headset.demo import seed as seeding
    from headset.demo import traffic
    from headset.demo.mail import DemoMail
    from headset.media.settings import MediaSettings
    from headset.storage.migrate import upgrade

    host, _, port = args.bind.rpartition(":")
    shutil.rmtree(args.dir, ignore_errors=True)
    url = f"sqlite:///{(args.dir / 'headset.db').resolve()}"
    await asyncio.to_thread(upgrade, url)
    passwords = Passwords()
    await asyncio.to_thread(
        create_user, url, passwords, "admin", "Center administrator", "admin", seeding.PASSWORD
    )
    # e-mail without any other server: Headset's own SMTP receiver on a loopback port for
    # the customers' mail, and a sink in this process for the replies (demo/mail.py)
    # voice with the media hub in this process; on loopback the hub offers 127.0.0.1
    # candidates, so a browser on this machine reaches it (docs/voice.md)
    media = MediaSettings(
        is_in_process=True,
        is_loopback=host in ("127.0.0.1", "localhost"),
        prompt_cache=str((args.dir / "prompts").resolve()),
    )
    settings = Settings(
        database_url=url,
        host=host,
        port=int(port),
        mail_receiver_bind="127.0.0.1:0",
        # the demo's mailboxes send through the sink on loopback (docs/email.md, "Demo")
        mail_internal_hosts=True,
        is_voice_enabled=True,
        media=media,
        # the demo's simulated agents all sign in from this machine at start
        sign_ins_per_minute=10_000,
    )
    rng = random.Random(args.seed)
    mail = DemoMail(random.Random(rng.random()))
    await mail.start()
    app = create_app(settings, passwords=passwords)
    config = uvicorn.Config(
        app,
        host=host,
        port=int(port),
        log_level="warning",
        ws_per_message_deflate=False,
    )
    server = uvicorn.Server(config)
    serving = asyncio.create_task(server.serve())
    while not server.started:
        if serving.done():
            serving.result()
            return
        await asyncio.sleep(0.05)
    base_url = f"http://{host}:{port}"
    mail.receiver_port = app.state.runtime.mailroom.receiver_port
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        seeded = await seeding.seed(client, seeding.PASSWORD, mail_sink_port=mail.sink_port)
        seeded.mail = mail
        _print(base_url, seeded)
        tasks = [asyncio.create_task(traffic.customers(client, seeded, rng, args.contact_every))]
        for username, tenant_id, agent_id in seeded.bots:
            codes = [
                c
                for spec in seeding.TENANTS
                if spec["tenant_id"] == tenant_id
                for c, _ in spec["dispositions"]
            ]
            tasks.append(
                asyncio.create_task(
                    traffic.agent(
                        base_url, username, tenant_id, agent_id, random.Random(rng.random()), codes
                    )
                )
            )
        try:
            if args.seconds:
                await asyncio.sleep(args.seconds)
            else:
                await serving
        finally:
            for task in tasks:
                task.cancel()
            await mail.stop()
            server.should_exit = True
            with contextlib.suppress(Exception):
                await serving


def _print(base_url: str, seeded: Any) -> None:
    console = Console()
    console.print(f"\n[bold]Headset demo[/] is serving at [bold]{base_url}[/]")
    console.print(
        f"Sign in at {base_url}/sign-in: agents land on the desktop ({base_url}/desktop), "
        f"supervisors and team leaders on the wallboard ({base_url}/wallboard), admins and "
        f"managers in the administration ({base_url}/admin)."
    )
    for tenant_id, (widget_key, _) in seeded.widgets.items():
        console.print(f"Chat or call as a customer of {tenant_id}: {base_url}/chat/{widget_key}")
    for tenant_id, address in seeded.mailboxes.items():
        console.print(f"E-mail to {tenant_id}: {address} (simulated customers write to it)")
    console.print(
        f"API and its documentation: {base_url}/docs   live stream: "
        f"{base_url.replace('http', 'ws', 1)}/api/v1/live   metrics: {base_url}/metrics"
    )
    from headset.demo.seed import PASSWORD

    table = Table("username", "role", "tenant", title=f"Sign in with password {PASSWORD}")
    for username, role, tenant in seeded.people:
        table.add_row(username, role, tenant)
    console.print(table)
    console.print("Simulated customers and agents are at work; press Ctrl-C to stop.\n")
