"""Builds Headset. The routing engine is compiled with mypyc unless HEADSET_PURE_PYTHON=1.

The compiled modules are the same plain Python files; mypyc turns them into C extensions
that run about twice as fast (docs/decisions/0004-mypyc.md). Development installs
(`scripts/setup-env`, editable) set HEADSET_PURE_PYTHON=1 and stay pure Python so that edits
take effect at once: an editable install without it would put compiled modules beside the
sources, and they would shadow later edits until the next install.
"""

from __future__ import annotations

import os

from setuptools import setup

#: Modules compiled by mypyc: the engine and the core it uses (messages.py stays Python:
#: its `dataclass_transform` decorator must remain a Python function).
COMPILED = [
    "src/headset/core/clock.py",
    "src/headset/core/errors.py",
    *(
        f"src/headset/routing/{name}.py"
        for name in (
            "model",
            "commands",
            "events",
            "records",
            "strategies",
            "pools",
            "state",
            "deadlines",
            "timers",
            "snapshot",
            "engine",
        )
    ),
    # the simulator's run loop and its clock: every simulated contact passes through them
    "src/headset/sim/virtual_clock.py",
    "src/headset/sim/replication.py",
    # the KPI tallies over every contact record
    "src/headset/reporting/kpis.py",
    "src/headset/reporting/intervals.py",
]


def ext_modules() -> list[object]:
    if os.environ.get("HEADSET_PURE_PYTHON") == "1":
        return []
    from mypyc.build import mypycify

    # An empty --config-file: the project's mypy settings (whole-package checks) do not apply.
    # The isolated build environment has no numpy: compiled code treats it as untyped.
    options = ["--config-file=", "--ignore-missing-imports"]
    return list(mypycify([*options, *COMPILED], opt_level="3", debug_level="0"))


setup(ext_modules=ext_modules())
