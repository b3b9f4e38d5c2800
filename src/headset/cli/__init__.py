"""The `headset` command: one sub-command per module in this package."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from headset import __version__

#: Sub-command modules; each has `register(subparsers)` which sets `func(args) -> int`.
SUBCOMMANDS = (
    "headset.cli.demo",
    "headset.cli.serve",
    "headset.cli.db",
    "headset.cli.user",
    "headset.cli.example",
    "headset.cli.simulate",
    "headset.cli.erlang",
    "headset.cli.vault",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="headset", description="Headset, an open-source contact-center platform."
    )
    parser.add_argument("--version", action="version", version=f"headset {__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module_name in SUBCOMMANDS:
        importlib.import_module(module_name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
    except KeyboardInterrupt:
        return 130
    return code


if __name__ == "__main__":
    sys.exit(main())
