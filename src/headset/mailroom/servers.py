"""What connecting to a mailbox's servers needs besides its settings.

A mailbox's IMAP and SMTP hosts are chosen by the tenant, and the service connects to them
from inside the center's network, so they obey the webhooks' rule
(`headset.access.addresses.check_public_host`): a host that is, or resolves to, an internal
address is refused unless the operator allows internal mail hosts
(HEADSET_MAIL_INTERNAL_HOSTS=1: on-premises mail servers, the tests and the demo). The API
checks when a mailbox is saved; `check` runs again before every connection, because a name
may resolve differently by then. Its passwords are opened from their sealed form only here,
at the moment of signing in.
"""

from __future__ import annotations

from dataclasses import dataclass

from headset.access.addresses import Resolver, check_public_host
from headset.access.secret_box import SecretBox
from headset.mailroom.mailboxes import Mailbox, Server, secret_context


@dataclass(frozen=True)
class ServerAccess:
    """The box that opens mailbox passwords, and whether internal hosts are allowed."""

    secrets: SecretBox
    allows_internal_hosts: bool = False
    #: How names are resolved (None: the system's resolver; tests give a fake one).
    resolver: Resolver | None = None

    def check(self, host: str, port: int) -> None:
        """Refuses (InternalAddress) an internal host, resolving a name (this blocks);
        Unresolvable (an OSError) for a name that does not resolve."""
        if not self.allows_internal_hosts:
            check_public_host(host, port, resolver=self.resolver)

    def password(self, mailbox: Mailbox, server: Server) -> str | None:
        """The server's password in clear (None: none stored); SecretUnreadable when it was
        sealed with another secret key."""
        sealed = mailbox.imap_password if server == "imap" else mailbox.smtp_password
        if not sealed:
            return None
        return self.secrets.open(sealed, secret_context(mailbox.tenant_id, mailbox.mailbox_id,
                                                        server))  # fmt: skip

    def seal(self, mailbox_key: tuple[str, str], server: Server, password: str) -> str:
        """The password sealed for this server of the mailbox (tenant_id, mailbox_id)."""
        return self.secrets.seal(password, secret_context(*mailbox_key, server))
