"""The README's first command, as a newcomer runs it: `scripts/demo` on a copy of the tree.

The rest of the suite runs with the dev extra installed, so it cannot notice a module that
`headset demo` imports but only the dev extra brings (that happened: httpx). This test copies
the sources (not the virtual environments) to a new folder and runs `scripts/demo` there: it
builds a base-only `.venv` from uv.lock exactly as a fresh clone does, then serves the demo.
The test then checks the pages and the API answer and that simulated customers got through.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
#: Never copied: environments, caches, build products, local data.
SKIP = {
    ".git",
    ".venv",
    ".venv-compiled",
    ".venv-tools",
    "__pycache__",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    ".hypothesis",
    "build",
    "dist",
    "headset-demo",
    "failures",
}
PASSWORD = "demo-password-2026"  # printed by the demo; see src/headset/demo/seed.py


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _copy_tree(target: Path) -> None:
    def ignore(folder: str, names: list[str]) -> set[str]:
        return {n for n in names if n in SKIP or n.endswith((".so", ".egg-info", ".db"))}

    shutil.copytree(ROOT, target, ignore=ignore, symlinks=True)


def _newcomer_env() -> dict[str, str]:
    """The environment of a shell on a fresh machine: no virtualenv active, no test settings."""
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "XDG_CACHE_HOME", "UV_CACHE_DIR")
    env = {k: v for k, v in os.environ.items() if k in keep or k.startswith(("PIP_", "SSL_"))}
    venv_bin = str(Path(os.environ.get("VIRTUAL_ENV", "/nonexistent")) / "bin")
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if p != venv_bin)
    return env


def _wait_until_served(demo: subprocess.Popen[str], base_url: str, log: Path) -> None:
    # The base install and the demo's seeding take a while on a cold machine; a startup
    # deadline, not a measured figure: the test fails loudly with what the demo printed.
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if demo.poll() is not None:
            raise AssertionError(f"scripts/demo ended with {demo.returncode}:\n{log.read_text()}")
        # the demo prints its sign-in table once it has seeded the center through its API
        if "Ctrl-C" in log.read_text():
            assert httpx.get(f"{base_url}/health", timeout=10).status_code == 200
            return
        time.sleep(1)
    raise AssertionError(f"scripts/demo did not serve within 10 minutes:\n{log.read_text()}")


def test_scripts_demo_serves_pages_and_api_from_a_base_only_install(tmp_path: Path) -> None:
    tree = tmp_path / "clone"
    _copy_tree(tree)
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    log = tmp_path / "demo.log"
    with log.open("w") as out:
        demo = subprocess.Popen(
            ["scripts/demo", "--bind", f"127.0.0.1:{port}", "--seconds", "300"],
            cwd=tree,
            env=_newcomer_env(),
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
    try:
        _wait_until_served(demo, base_url, log)
        installed = subprocess.run(
            [str(tree / ".venv/bin/python"), "-m", "pip", "--version"],
            capture_output=True,
            check=False,
        )
        # the demo's environment is the base install: no test tools, no pip even
        assert installed.returncode != 0
        site = next((tree / ".venv/lib").glob("python3*/site-packages"))
        assert not list(site.glob("pytest*")), "the base install carries the dev extra"
        assert list(site.glob("httpx*"))
        assert list(site.glob("websockets*"))

        with httpx.Client(base_url=base_url, timeout=30) as client:
            sign_in = client.get("/sign-in")
            assert sign_in.status_code == 200
            assert "<form" in sign_in.text
            assert client.get("/docs").status_code == 200
            assert client.get("/openapi.json").json()["info"]["title"]
            login = client.post(
                "/api/v1/auth/login",
                json={"username": "lakeside-supervisor", "password": PASSWORD},
            )
            assert login.status_code == 200, login.text
            assert login.json()["user"]["role"] == "supervisor"
            queues = client.get("/api/v1/tenants/lakeside-cu/queues")
            assert queues.status_code == 200, queues.text
            assert queues.json(), "the demo seeds queues"
            wallboard = client.get("/wallboard")
            assert wallboard.status_code == 200
            # simulated customers reach the service through the widget and the API
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                contacts = client.get("/api/v1/tenants/lakeside-cu/contacts")
                if contacts.status_code == 200 and contacts.json()["items"]:
                    break
                time.sleep(2)
            assert contacts.status_code == 200, contacts.text
            assert contacts.json()["items"], (
                f"no simulated contact reached the demo:\n{log.read_text()}"
            )
    finally:
        _stop(demo)


def _stop(demo: subprocess.Popen[str]) -> None:
    if demo.poll() is not None:
        return
    os.killpg(demo.pid, signal.SIGINT)
    try:
        demo.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(demo.pid, signal.SIGKILL)
        demo.wait()
