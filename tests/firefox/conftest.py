"""Firefox tests: the real service (seeded like tests/service), driven by Debian's firefox-esr.

Firefox is started headless with a fresh profile and WebDriver BiDi on a port it picks; our
own client (bidi.py) talks to it. The profile turns off updates, telemetry, studies, remote
settings and first-run pages, and sends every request that is not for this machine to a
proxy of ours that refuses it and writes down what was asked (`Firefox.refused`): the
machine has no internet, and Firefox must never wait on it. Without firefox-esr the tests
fail and say how to install it.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import re
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pytest

from tests.firefox.bidi import Session, Tab, session_at
from tests.service.conftest import Center, start_center

FIREFOX = Path("/usr/bin/firefox-esr")
LISTENING = re.compile(r"WebDriver BiDi listening on (ws://\S+)")


class RefusingProxy:
    """An HTTP proxy that answers every request 403 at once and keeps its first line."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.listener.getsockname()[1])
        self.requests: list[str] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return  # closed
            with conn:
                conn.settimeout(2)
                try:
                    first = conn.recv(4096).split(b"\r\n", 1)[0]
                    self.requests.append(first.decode("latin-1"))
                    conn.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
                except OSError:
                    pass

    def close(self) -> None:
        # shutting down wakes the accept() that close() alone would leave blocked
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        self.thread.join(5)


def prefs(proxy_port: int) -> dict[str, Any]:
    """The profile's preferences: quiet, offline except for this machine, in English."""
    nowhere = "http://127.0.0.1:9/"  # nothing listens on the discard port: refused at once
    return {
        # every request for another host goes to the refusing proxy (this machine's do not)
        "network.proxy.type": 1,
        "network.proxy.http": "127.0.0.1",
        "network.proxy.http_port": proxy_port,
        "network.proxy.ssl": "127.0.0.1",
        "network.proxy.ssl_port": proxy_port,
        "network.proxy.share_proxy_settings": True,
        "network.proxy.allow_hijacking_localhost": False,
        "network.dns.disablePrefetch": True,
        "network.prefetch-next": False,
        "network.http.speculative-parallel-limit": 0,
        "network.connectivity-service.enabled": False,
        "network.captive-portal-service.enabled": False,
        "network.trr.mode": 5,  # no DNS over HTTPS
        # updates of Firefox, add-ons, search engines, plugins
        "app.update.disabledForTesting": True,
        "app.update.auto": False,
        "extensions.update.enabled": False,
        "extensions.getAddons.cache.enabled": False,
        "extensions.systemAddon.update.enabled": False,
        "browser.search.update": False,
        "media.gmp-manager.url": nowhere,
        "media.gmp-gmpopenh264.enabled": False,
        # telemetry, health reports, studies and experiments, remote settings
        "toolkit.telemetry.enabled": False,
        "toolkit.telemetry.unified": False,
        "toolkit.telemetry.archive.enabled": False,
        "toolkit.telemetry.server": nowhere,
        "toolkit.telemetry.reportingpolicy.firstRun": False,
        "datareporting.healthreport.uploadEnabled": False,
        "datareporting.policy.dataSubmissionEnabled": False,
        "datareporting.policy.firstRunURL": "",
        "app.normandy.enabled": False,
        "app.normandy.api_url": "",
        "app.shield.optoutstudies.enabled": False,
        "messaging-system.rsexperimentloader.enabled": False,
        "nimbus.disabled": True,
        # remote settings honour another server only with MOZ_DISABLE_NONLOCAL_CONNECTIONS
        "services.settings.server": "data:,#remote-settings-dummy/v1",
        "browser.region.network.url": "",
        "browser.region.update.enabled": False,
        "geo.provider.network.url": "",
        "browser.safebrowsing.malware.enabled": False,
        "browser.safebrowsing.phishing.enabled": False,
        "browser.safebrowsing.downloads.enabled": False,
        "browser.safebrowsing.blockedURIs.enabled": False,
        "browser.safebrowsing.provider.mozilla.updateURL": "",
        "browser.safebrowsing.provider.google4.updateURL": "",
        "browser.safebrowsing.provider.google.updateURL": "",
        "security.OCSP.enabled": 0,
        "security.remote_settings.crlite_filters.enabled": False,
        "security.remote_settings.intermediates.enabled": False,
        "identity.fxaccounts.enabled": False,
        "dom.push.connection.enabled": False,
        "browser.ping-centre.telemetry": False,
        "browser.newtabpage.activity-stream.feeds.telemetry": False,
        "browser.newtabpage.activity-stream.telemetry": False,
        "browser.newtabpage.activity-stream.feeds.topsites": False,
        "browser.newtabpage.activity-stream.feeds.section.topstories": False,
        "browser.topsites.contile.enabled": False,
        "browser.urlbar.suggest.quicksuggest.sponsored": False,
        "browser.urlbar.quicksuggest.enabled": False,
        # first-run pages, welcome screens, default-browser questions, session restore
        "browser.startup.page": 0,
        "browser.startup.homepage": "about:blank",
        "browser.startup.homepage_override.mstone": "ignore",
        "startup.homepage_welcome_url": "about:blank",
        "startup.homepage_welcome_url.additional": "",
        "browser.aboutwelcome.enabled": False,
        "browser.newtabpage.enabled": False,
        "browser.shell.checkDefaultBrowser": False,
        "browser.sessionstore.resume_from_crash": False,
        "browser.tabs.warnOnClose": False,
        "toolkit.startup.max_resumed_crashes": -1,
        # the pages in English, as a British visitor (the Chromium tests use en-GB too)
        "intl.accept_languages": "en-GB, en",
        "intl.locale.requested": "en-GB",
    }


def write_profile(folder: Path, proxy_port: int) -> None:
    """user.js: read at every start; JSON writes the names and values as Firefox reads them."""
    lines = [f"user_pref({json.dumps(k)}, {json.dumps(v)});" for k, v in prefs(proxy_port).items()]
    (folder / "user.js").write_text("\n".join(lines) + "\n")


class Firefox:
    """A headless firefox-esr with a fresh profile, listening for WebDriver BiDi."""

    def __init__(self, folder: Path) -> None:
        if not FIREFOX.exists():
            pytest.fail(f"{FIREFOX} is missing: run scripts/install-servers (installs firefox-esr)")
        self.proxy = RefusingProxy()
        profile = folder / "profile"
        profile.mkdir()
        write_profile(profile, self.proxy.port)
        env = {
            **os.environ,
            "HOME": str(folder),  # nothing outside the temporary folder is written
            "MOZ_CRASHREPORTER_DISABLE": "1",
            # Firefox's own switch for its test runs: no connection to another machine
            "MOZ_DISABLE_NONLOCAL_CONNECTIONS": "1",
        }
        self.process = subprocess.Popen(
            [
                str(FIREFOX),
                "--headless",
                "--remote-debugging-port=0",  # Firefox picks a free port and says which
                "--profile",
                str(profile),
                "--no-remote",
                "about:blank",
            ],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.log: list[str] = []
        lines: queue.Queue[str] = queue.Queue()
        assert self.process.stderr is not None
        self.reader = threading.Thread(target=self._read, args=(self.process.stderr, lines))
        self.reader.daemon = True
        self.reader.start()
        self.url = self._wait_for_listening(lines)

    def _read(self, stream: IO[str], lines: queue.Queue[str]) -> None:
        # keeps reading to the end, so that a chatty Firefox never blocks on a full pipe
        for line in stream:
            self.log.append(line.rstrip())
            lines.put(line)

    def _wait_for_listening(self, lines: queue.Queue[str], timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = lines.get(timeout=left)
            except queue.Empty:
                break
            found = LISTENING.search(line)
            if found:
                return found.group(1)
        self.stop()
        log = "\n".join(self.log[-20:])
        raise RuntimeError(f"firefox-esr did not start WebDriver BiDi in {timeout} s:\n{log}")

    @property
    def refused(self) -> list[str]:
        """What Firefox asked of other hosts (each refused by the proxy)."""
        return list(self.proxy.requests)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)
        self.reader.join(5)  # the pipe ends with the process
        assert self.process.stderr is not None
        self.process.stderr.close()
        self.proxy.close()


# Per module, not per session: Firefox, its proxy and the WebSocket's threads must be gone
# before the rest of the suite runs (a thread touching the `random` module while hypothesis
# draws makes its property tests fail as flaky).
@pytest.fixture(scope="module")
def firefox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Firefox]:
    started = Firefox(tmp_path_factory.mktemp("firefox"))
    try:
        yield started
    finally:
        started.stop()


@pytest.fixture(scope="module")
def bidi(firefox: Firefox) -> Iterator[Session]:
    with session_at(firefox.url + "/session") as session:
        session.subscribe("log.entryAdded")
        yield session


@pytest.fixture(scope="module")
def center(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Center]:
    c = start_center(tmp_path_factory.mktemp("firefox-center"))
    try:
        yield c
    finally:
        c.close()
        c.served.stop()


@pytest.fixture
def tab(bidi: Session) -> Iterator[Tab]:
    """A new tab in a user context of its own (no cookies), closed after the test."""
    new = bidi.new_tab()
    try:
        yield new
    finally:
        new.close()


def sign_in(tab: Tab, center: Center, username: str, password: str) -> None:
    """Signs in through the sign-in page, typing like a person, and presses the button."""
    tab.goto(center.url + "/sign-in")
    tab.type_into("#username", username)
    tab.type_into("#password", password)
    tab.click("#sign-in button[type=submit]")
