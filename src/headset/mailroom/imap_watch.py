"""Watching an IMAP folder: fetch what is unseen, then IDLE until the server says more came.

A message is marked \\Seen only after ingestion has committed it, so a crash or a restart
in between leaves it unseen and it is fetched again (and then recognised as a duplicate by
its Message-ID). Network and server failures reconnect after a back-off that doubles up to
a minute. Runs in a thread of its own (imaplib blocks); each delivery is handed to the
service's event loop and waited for.

A message over the mailroom's rate limits (mailroom/limits.py) is deferred, not lost: it
stays unseen on the server. A sender's message is left alone until that sender's bucket
has refilled; when the whole mailbox is over its limit the round ends there and the watcher
waits (in IDLE, not woken by more mail) until it has refilled, so a flood costs one search
per wait, not a fetch of the whole backlog per new message.
"""

from __future__ import annotations

import contextlib
import imaplib
import logging
import re
import select
import ssl
import threading
import time
from collections.abc import Callable

from headset.mail.parsing import TooLarge
from headset.mailroom.limits import Deferred
from headset.mailroom.mailboxes import Mailbox
from headset.mailroom.servers import ServerAccess

log = logging.getLogger("headset.mailroom")

#: Servers may end an IDLE after 30 minutes (RFC 2177); a new one every two minutes also
#: bounds how long a missed notification could delay a message.
IDLE_SECONDS = 120
MAX_BACKOFF_SECONDS = 60.0
_EXISTS = re.compile(rb"^\* \d+ (EXISTS|RECENT)")

#: Stores one raw message (blocking until it is committed); raises to mean "try again".
Deliver = Callable[[Mailbox, bytes], object]


class ImapWatcher:
    """One mailbox's IMAP folder, watched from a daemon thread until `stop`."""

    def __init__(self, mailbox: Mailbox, deliver: Deliver, access: ServerAccess) -> None:
        self.mailbox = mailbox
        self.deliver = deliver
        self.access = access
        #: Deferred messages (by UID) and the monotonic time they may be tried again.
        self.later: dict[bytes, float] = {}
        #: Until when the whole mailbox is over its limit (monotonic time; 0: it is not).
        self.paused_until = 0.0
        self.stopping = threading.Event()
        self.connected = threading.Event()
        self.failures = 0
        self.delivered = 0
        self._thread = threading.Thread(
            target=self._run, name=f"imap-{mailbox.mailbox_id}", daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self.stopping.set()
        self._thread.join(timeout)

    # the loop -------------------------------------------------------------------------
    def _run(self) -> None:
        delay = 1.0
        while not self.stopping.is_set():
            try:
                client = self._connect()
            except Exception as error:
                self._failed(error, delay)
                delay = min(delay * 2, MAX_BACKOFF_SECONDS)
                continue
            try:
                delay = 1.0
                self.connected.set()
                while not self.stopping.is_set():
                    _forget_news(client)
                    self._fetch_unseen(client)
                    # nothing came while fetching, or the mailbox must wait anyway
                    if not _forget_news(client) or self._is_paused():
                        self._idle(client)
            except Exception as error:
                self._failed(error, delay)
                delay = min(delay * 2, MAX_BACKOFF_SECONDS)
            finally:
                self.connected.clear()
                try:
                    client.logout()
                except Exception:  # the connection is gone: imaplib then leaves it open
                    with contextlib.suppress(Exception):
                        client.shutdown()

    def _failed(self, error: Exception, delay: float) -> None:
        self.failures += 1
        log.warning(
            "IMAP mailbox %s: %s; reconnecting in %.0f s",
            self.mailbox.mailbox_id,
            error,
            delay,
        )
        self.stopping.wait(delay)

    def _connect(self) -> imaplib.IMAP4:
        box = self.mailbox
        host = box.imap_host or "localhost"
        port = box.imap_port or (993 if box.imap_security == "tls" else 143)
        self.access.check(host, port)  # again at every connection: DNS may have changed
        secret = self.access.password(box, "imap")
        if secret is None:  # e.g. a mailbox that named an environment variable before 0009
            raise LookupError("no IMAP password is stored: enter it on the mailbox's page")
        client: imaplib.IMAP4
        if box.imap_security == "tls":
            client = imaplib.IMAP4_SSL(
                host, port, ssl_context=ssl.create_default_context(), timeout=30
            )
        else:
            client = imaplib.IMAP4(host, port, timeout=30)
        try:
            if box.imap_security == "starttls":
                client.starttls(ssl.create_default_context())
            client.login(box.imap_username or box.address, secret)
            status, _ = client.select(_quoted(box.imap_folder))
            if status != "OK":
                raise imaplib.IMAP4.error(f"cannot open the folder {box.imap_folder!r}")
        except BaseException:
            client.shutdown()  # the socket is closed now, not whenever the collector runs
            raise
        return client

    def _fetch_unseen(self, client: imaplib.IMAP4) -> None:
        status, data = client.uid("SEARCH", "UNSEEN")
        if status != "OK":
            raise imaplib.IMAP4.error("SEARCH UNSEEN failed")
        unseen = (data[0] or b"").split()
        now = time.monotonic()
        waiting = set(unseen)
        self.later = {uid: at for uid, at in self.later.items() if at > now and uid in waiting}
        for uid in unseen:
            if self.stopping.is_set() or self._is_paused():
                return
            if uid in self.later:
                continue  # its sender is over the limit: it waits, unseen
            status, parts = client.uid("FETCH", uid.decode(), "(BODY.PEEK[])")
            raw = next((p[1] for p in parts if isinstance(p, tuple)), None)
            if status != "OK" or raw is None:
                continue  # expunged meanwhile
            try:
                self.deliver(self.mailbox, raw)
            except TooLarge as error:
                # it can never be stored: mark it seen so it does not block the others
                log.warning("IMAP mailbox %s: %s", self.mailbox.mailbox_id, error)
            except Deferred as later:
                log.info("IMAP mailbox %s: %s", self.mailbox.mailbox_id, later)
                until = time.monotonic() + later.retry_after_seconds
                if later.is_mailbox:
                    self.paused_until = until
                    return
                self.later[uid] = until
                continue  # left unseen: fetched again once the sender's bucket refilled
            client.uid("STORE", uid.decode(), "+FLAGS", r"(\Seen)")
            self.delivered += 1

    def _is_paused(self) -> bool:
        return time.monotonic() < self.paused_until

    def _wake_at(self) -> float:
        """When the next IDLE should end by itself: its usual length, or sooner when a
        deferred message (or the paused mailbox) may be tried again."""
        due = [self.paused_until] if self._is_paused() else list(self.later.values())
        return min([time.monotonic() + IDLE_SECONDS, *due])

    def _idle(self, client: imaplib.IMAP4) -> None:
        """Waits for new mail with IDLE (or a short poll where the server lacks it)."""
        if "IDLE" not in client.capabilities:
            self.stopping.wait(5)
            return
        tag = b"HSI" + str(int(time.monotonic() * 1000)).encode()
        client.send(tag + b" IDLE\r\n")
        line = client.readline()
        if not line.startswith(b"+"):
            raise imaplib.IMAP4.error(f"IDLE refused: {line!r}")
        deadline = self._wake_at()
        try:
            while not self.stopping.is_set() and time.monotonic() < deadline:
                ready, _, _ = select.select([client.sock], [], [], 0.5)
                if not ready:
                    continue
                line = client.readline()
                if not line:
                    raise ConnectionError("the IMAP server closed the connection")
                if _EXISTS.match(line) and not self._is_paused():
                    break
        finally:
            client.send(b"DONE\r\n")
            while True:
                line = client.readline()
                if not line:
                    raise ConnectionError("the IMAP server closed the connection")
                if line.startswith(tag):
                    break


def _forget_news(client: imaplib.IMAP4) -> bool:
    """Whether the server reported new mail in a reply to another command (imaplib keeps
    such untagged responses aside); it would not report it again during IDLE."""
    news = [client.untagged_responses.pop(k, None) for k in ("EXISTS", "RECENT")]
    return any(news)


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'
