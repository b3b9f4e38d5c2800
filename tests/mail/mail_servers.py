"""Throwaway mail servers for tests: Dovecot (IMAP + LMTP) and Exim (SMTP) on loopback.

Each runs from its own configuration in a temporary folder, on free ports, in the
foreground, and is stopped by the test. Exim accepts mail for any address at
`example.com` and hands it to Dovecot over LMTP, so a message sent over SMTP lands in that
user's IMAP INBOX — the path a customer's mail takes. If either server cannot start, the
test fails loudly: a skipped mail test proves nothing.

Dovecot never runs mail processes as root: when the tests run as root the mailboxes belong
to Debian's unprivileged `dovenull` user; otherwise everything runs as the current user.
"""

from __future__ import annotations

import contextlib
import imaplib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from tests.redis_server import free_port

DOMAIN = "example.com"
PASSWORD = "mail-test-password"
SMTP_USER = "headset"


def _find(*candidates: str) -> str:
    for name in candidates:
        found = shutil.which(name) or (name if Path(name).exists() else None)
        if found:
            return found
    raise RuntimeError(
        f"{candidates[0]} is not installed; run scripts/install-servers "
        "(Debian: dovecot-imapd dovecot-lmtpd exim4-daemon-light)"
    )


def _wait_port(port: int, process: subprocess.Popen[bytes], log: Path, what: str) -> None:
    deadline = time.monotonic() + 15
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            pass
        if process.poll() is not None:
            tail = log.read_text(errors="replace")[-1500:] if log.exists() else "(no log)"
            raise RuntimeError(f"{what} exited at start: {tail}")
        if time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"{what} did not listen on port {port} in 15 s")
        time.sleep(0.05)


class Dovecot:
    """An IMAP server with a mailbox per user of `example.com` (password PASSWORD)."""

    def __init__(self) -> None:
        # not under pytest's tmp_path: its folders are private to root, and the mail user
        # must reach the mailboxes
        self.directory = Path(tempfile.mkdtemp(prefix="headset-dovecot-"))
        self.directory.chmod(0o755)
        self.imap_port = free_port()
        self.lmtp_port = free_port()
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        d = self.directory
        for sub in ("run", "state", "mail"):
            (d / sub).mkdir(exist_ok=True)
        if os.getuid() == 0:
            mail_user = pwd.getpwnam("dovenull")
            internal = "dovenull"
            os.chown(d / "mail", mail_user.pw_uid, mail_user.pw_gid)
        else:
            mail_user = pwd.getpwuid(os.getuid())
            internal = mail_user.pw_name
        (d / "users").write_text(f"*:{{PLAIN}}{PASSWORD}\n")
        (d / "dovecot.conf").write_text(
            f"""
base_dir = {d}/run
state_dir = {d}/state
log_path = {d}/dovecot.log
protocols = imap lmtp
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{d}/mail/%n
default_internal_user = {internal}
default_internal_group = {internal}
default_login_user = {internal}
first_valid_uid = 1
lmtp_save_to_detail_mailbox = no
# IDLE notices new mail through inotify; this is only the fallback check
mailbox_idle_check_interval = 1 secs
passdb {{
  driver = static
  args = password={PASSWORD}
}}
userdb {{
  driver = static
  args = uid={mail_user.pw_uid} gid={mail_user.pw_gid} home={d}/mail/%n
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.imap_port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service lmtp {{
  inet_listener lmtp {{
    address = 127.0.0.1
    port = {self.lmtp_port}
  }}
}}
service pop3-login {{
  inet_listener pop3 {{
    port = 0
  }}
}}
"""
        )
        log = d / "dovecot.log"
        with log.open("ab") as output:
            self._process = subprocess.Popen(
                [_find("/usr/sbin/dovecot", "dovecot"), "-F", "-c", str(d / "dovecot.conf")],
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        _wait_port(self.imap_port, self._process, log, "dovecot")
        _wait_port(self.lmtp_port, self._process, log, "dovecot")

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)

    def imap(self, user: str) -> imaplib.IMAP4:
        """A signed-in IMAP client of `user` (the local part of their address)."""
        client = imaplib.IMAP4("127.0.0.1", self.imap_port, timeout=10)
        client.login(user, PASSWORD)
        return client


class Exim:
    """An SMTP server on loopback that delivers mail for `example.com` to Dovecot (LMTP).

    `is_secure`: it offers STARTTLS with a certificate of its own for 127.0.0.1
    (`certificate`, for the client to trust) and takes a login, user SMTP_USER with
    PASSWORD, only over TLS.
    """

    def __init__(self, dovecot: Dovecot, *, is_secure: bool = False) -> None:
        self.dovecot = dovecot
        self.is_secure = is_secure
        self.directory = Path(tempfile.mkdtemp(prefix="headset-exim-"))
        self.port = free_port()
        self.certificate = self.directory / "cert.pem"
        self._process: subprocess.Popen[bytes] | None = None

    def _secure_config(self) -> str:
        if not self.is_secure:
            return "tls_advertise_hosts =\n"
        key = self.directory / "key.pem"
        subprocess.run(
            [_find("/usr/bin/openssl", "openssl"), "req", "-x509", "-newkey", "rsa:2048",
             "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-addext",
             "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(self.certificate)],
            check=True, capture_output=True,
        )  # fmt: skip
        if os.getuid() == 0:
            account = pwd.getpwnam("Debian-exim")
            for path in (key, self.certificate):
                os.chown(path, account.pw_uid, account.pw_gid)
        return f"""tls_advertise_hosts = *
tls_certificate = {self.certificate}
tls_privatekey = {key}
begin authenticators
plain_login:
  driver = plaintext
  public_name = PLAIN
  server_prompts = :
  server_condition = ${{if and {{{{eq{{$auth2}}{{{SMTP_USER}}}}}{{eq{{$auth3}}{{{PASSWORD}}}}}}}}}
  server_set_id = $auth2
  server_advertise_condition = ${{if def:tls_in_cipher}}
"""

    def start(self) -> None:
        d = self.directory
        (d / "spool").mkdir(exist_ok=True)
        if os.getuid() == 0:  # Exim never delivers as root: its own Debian user does
            user = "Debian-exim"
            account = pwd.getpwnam(user)
            d.chmod(0o755)
            for path in (d, d / "spool"):
                os.chown(path, account.pw_uid, account.pw_gid)
        else:
            user = pwd.getpwuid(os.getuid()).pw_name
        secure = self._secure_config()
        (d / "exim.conf").write_text(
            f"""
primary_hostname = mail.{DOMAIN}
domainlist local_domains = {DOMAIN}
spool_directory = {d}/spool
log_file_path = {d}/exim-%slog
daemon_smtp_ports = {self.port}
local_interfaces = 127.0.0.1
exim_user = {user}
exim_group = {user}
never_users =
trusted_users = {user}
host_lookup =
rfc1413_hosts =
acl_smtp_rcpt = check_rcpt
message_size_limit = 20M
queue_run_max = 1
{secure}
begin acl
check_rcpt:
  accept domains = +local_domains
  deny message = relay not permitted
begin routers
to_dovecot:
  driver = manualroute
  domains = +local_domains
  transport = lmtp_to_dovecot
  route_list = * 127.0.0.1
  self = send
begin transports
lmtp_to_dovecot:
  driver = smtp
  protocol = lmtp
  port = {self.dovecot.lmtp_port}
  allow_localhost
  hosts_avoid_tls = *
begin retry
*  *  F,1h,5s
"""
        )
        log = d / "exim-mainlog"
        exim = _find("/usr/sbin/exim4", "exim4", "exim")
        with (d / "exim.out").open("ab") as output:
            self._process = subprocess.Popen(
                [exim, "-C", str(d / "exim.conf"), "-bdf", "-q5s"],
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its queue runners and deliveries stop with it
            )
        try:
            _wait_port(self.port, self._process, d / "exim.out", "exim")
        except RuntimeError as error:
            raise RuntimeError(f"{error}\n{log.read_text(errors='replace')[-1000:]}") from None

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            # its children (one per connection, queue runners) log their last line on the
            # way out, and Exim makes the log folder again if it is gone
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                try:
                    os.killpg(process.pid, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.05)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)

    def log(self) -> str:
        path = self.directory / "exim-mainlog"
        return path.read_text(errors="replace") if path.exists() else ""
