"""What each role may do, and over which part of the center: the permission matrix."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping, Sequence
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType

from headset.access.roles import Role
from headset.core.errors import Forbidden


class Permission(StrEnum):
    """One kind of action; the value is the stable wire name."""

    TENANT_MANAGE = "tenant.manage"
    TENANT_READ = "tenant.read"
    USER_MANAGE = "user.manage"
    USER_READ = "user.read"
    CONFIG_MANAGE = "config.manage"
    CONFIG_READ = "config.read"
    CUSTOMER_READ = "customer.read"
    CUSTOMER_WRITE = "customer.write"
    CONTACT_CREATE = "contact.create"
    CONTACT_READ = "contact.read"
    CONTACT_HANDLE = "contact.handle"
    CONTACT_TRANSFER = "contact.transfer"
    CONTACT_ESCALATE = "contact.escalate"
    CONTACT_CALLBACK = "contact.callback"
    CONTACT_REASSIGN = "contact.reassign"
    NOTE_WRITE = "note.write"
    AGENT_READ = "agent.read"
    AGENT_STATE_OWN = "agent.state.own"
    AGENT_STATE_ANY = "agent.state.any"
    STATS_READ = "stats.read"
    TOKEN_MANAGE = "token.manage"
    WEBHOOK_MANAGE = "webhook.manage"
    AUDIT_READ = "audit.read"
    CHAT_SEND = "chat.send"
    CHAT_MONITOR = "chat.monitor"
    CHAT_WHISPER = "chat.whisper"
    CHAT_BARGE = "chat.barge"
    CHAT_TAKE_OVER = "chat.take_over"
    CANNED_MANAGE = "canned.manage"
    WIDGET_MANAGE = "widget.manage"
    SURVEY_READ = "survey.read"
    MAILBOX_MANAGE = "mailbox.manage"
    MAIL_SEND = "mail.send"
    RECORDING_LISTEN = "recording.listen"

    @property
    def action(self) -> str:
        """The action in words, to complete "a team leader may not ..."."""
        return _ACTIONS[self]


class Scope(StrEnum):
    """How far a granted permission reaches; each scope includes the narrower ones."""

    CENTER = "center"  # every tenant
    TENANT = "tenant"  # the tenants the user is assigned to
    TEAM = "team"  # the teams the user leads
    OWN = "own"  # only the user's own agent and contacts

    def includes(self, other: Scope) -> bool:
        """Whether everything reachable at `other` is reachable at this scope too."""
        return _BREADTH[self] >= _BREADTH[other]


_BREADTH = {Scope.OWN: 0, Scope.TEAM: 1, Scope.TENANT: 2, Scope.CENTER: 3}

_ACTIONS: dict[Permission, str] = {
    Permission.TENANT_MANAGE: "manage tenants",
    Permission.TENANT_READ: "see tenants",
    Permission.USER_MANAGE: "manage users",
    Permission.USER_READ: "see users",
    Permission.CONFIG_MANAGE: (
        "change the configuration (teams, skills, queues, dispositions, away reasons, "
        "business hours)"
    ),
    Permission.CONFIG_READ: "see the configuration",
    Permission.CUSTOMER_READ: "see customers",
    Permission.CUSTOMER_WRITE: "change customers",
    Permission.CONTACT_CREATE: "create contacts through the API",
    Permission.CONTACT_READ: "see contacts",
    Permission.CONTACT_HANDLE: "handle contacts",
    Permission.CONTACT_TRANSFER: "transfer contacts",
    Permission.CONTACT_ESCALATE: "escalate contacts",
    Permission.CONTACT_CALLBACK: "schedule callbacks",
    Permission.CONTACT_REASSIGN: "move waiting contacts",
    Permission.NOTE_WRITE: "write notes",
    Permission.AGENT_READ: "see agents",
    Permission.AGENT_STATE_OWN: "set their own agent state",
    Permission.AGENT_STATE_ANY: "set another agent's state",
    Permission.STATS_READ: "see real-time statistics",
    Permission.TOKEN_MANAGE: "manage API tokens",
    Permission.WEBHOOK_MANAGE: "manage webhooks",
    Permission.AUDIT_READ: "read the audit log",
    Permission.CHAT_SEND: "answer chats",
    Permission.CHAT_MONITOR: "monitor chats",
    Permission.CHAT_WHISPER: "whisper to agents in chats",
    Permission.CHAT_BARGE: "barge into chats",
    Permission.CHAT_TAKE_OVER: "take over chats",
    Permission.CANNED_MANAGE: "manage canned responses",
    Permission.WIDGET_MANAGE: "manage chat widgets",
    Permission.SURVEY_READ: "see survey answers and CSAT",
    Permission.MAILBOX_MANAGE: "manage mailboxes",
    Permission.MAIL_SEND: "answer e-mails",
    Permission.RECORDING_LISTEN: "listen to or download call recordings",
}

_P = Permission
_CENTER, _TENANT, _TEAM, _OWN = Scope.CENTER, Scope.TENANT, Scope.TEAM, Scope.OWN

# Reads every role needs to work at all: the tenant's name and its configuration
# (dispositions, away reasons) appear on every screen.
_BASICS = {_P.TENANT_READ: _TENANT, _P.CONFIG_READ: _TENANT}

_GRANTS: dict[Role, dict[Permission, Scope]] = {
    Role.ADMIN: dict.fromkeys(Permission, _CENTER),
    # Managers run their tenants but do not take contacts, so no contact.handle and
    # no state of their own; they are the ones who issue API tokens and webhooks.
    Role.MANAGER: {
        p: _TENANT
        for p in Permission
        if p
        not in {_P.TENANT_MANAGE, _P.CONTACT_HANDLE, _P.AGENT_STATE_OWN, _P.CHAT_SEND, _P.MAIL_SEND}
    },
    Role.SUPERVISOR: {
        **_BASICS,
        _P.USER_READ: _TENANT,
        _P.CUSTOMER_READ: _TENANT,
        _P.CUSTOMER_WRITE: _TENANT,
        _P.CONTACT_READ: _TENANT,
        _P.CONTACT_TRANSFER: _TENANT,
        _P.CONTACT_ESCALATE: _TENANT,
        _P.CONTACT_CALLBACK: _TENANT,
        _P.CONTACT_REASSIGN: _TENANT,
        _P.NOTE_WRITE: _TENANT,
        _P.AGENT_READ: _TENANT,
        _P.AGENT_STATE_ANY: _TENANT,
        _P.STATS_READ: _TENANT,
        # the floor's chats: watch, coach the agent, join, or answer in the agent's place
        _P.CHAT_MONITOR: _TENANT,
        _P.CHAT_WHISPER: _TENANT,
        _P.CHAT_BARGE: _TENANT,
        _P.CHAT_TAKE_OVER: _TENANT,
        _P.SURVEY_READ: _TENANT,
        _P.RECORDING_LISTEN: _TENANT,
    },
    # Team leaders steer their teams and also take overflow contacts themselves, hence
    # contact.handle and agent.state.own at own scope (team scope includes own).
    Role.TEAM_LEADER: {
        **_BASICS,
        _P.USER_READ: _TEAM,
        _P.CUSTOMER_READ: _TENANT,
        _P.CONTACT_READ: _TEAM,
        _P.CONTACT_HANDLE: _OWN,
        _P.CONTACT_TRANSFER: _TEAM,
        _P.CONTACT_ESCALATE: _TEAM,
        _P.CONTACT_CALLBACK: _TEAM,
        _P.CONTACT_REASSIGN: _TEAM,
        _P.NOTE_WRITE: _TEAM,
        _P.AGENT_READ: _TEAM,
        _P.AGENT_STATE_OWN: _OWN,
        _P.AGENT_STATE_ANY: _TEAM,
        _P.STATS_READ: _TEAM,
        _P.CHAT_SEND: _OWN,
        _P.MAIL_SEND: _OWN,
        _P.CHAT_MONITOR: _TEAM,
        _P.CHAT_WHISPER: _TEAM,
        _P.CHAT_BARGE: _TEAM,
        _P.CHAT_TAKE_OVER: _TEAM,
        _P.SURVEY_READ: _TEAM,
        _P.RECORDING_LISTEN: _TEAM,
    },
    # QA evaluates agents, so it reads agents and users as well as contacts; it never acts.
    Role.QA: {
        **_BASICS,
        _P.USER_READ: _TENANT,
        _P.CUSTOMER_READ: _TENANT,
        _P.CONTACT_READ: _TENANT,
        _P.AGENT_READ: _TENANT,
        _P.STATS_READ: _TENANT,
        _P.SURVEY_READ: _TENANT,
        # recordings are what QA evaluates (agents do not replay calls: docs/permissions.md)
        _P.RECORDING_LISTEN: _TENANT,
    },
    # Agents read a customer only while they need to: own scope is the customers of the
    # contacts they are connected to or wrapping up, whose card then shows the customer's
    # earlier contacts with any agent (docs/desktop.md, "Customer card").
    Role.AGENT: {
        **_BASICS,
        _P.CUSTOMER_READ: _OWN,
        _P.CONTACT_READ: _OWN,
        _P.CONTACT_HANDLE: _OWN,
        _P.CONTACT_TRANSFER: _OWN,
        _P.CONTACT_ESCALATE: _OWN,
        _P.CONTACT_CALLBACK: _OWN,
        _P.NOTE_WRITE: _OWN,
        _P.AGENT_READ: _OWN,
        _P.AGENT_STATE_OWN: _OWN,
        _P.STATS_READ: _OWN,
        _P.CHAT_SEND: _OWN,
        _P.MAIL_SEND: _OWN,
    },
}

#: role -> permission -> scope; a missing permission is not allowed.
MATRIX: Mapping[Role, Mapping[Permission, Scope]] = MappingProxyType(
    {
        role: MappingProxyType({p: grants[p] for p in Permission if p in grants})
        for role, grants in _GRANTS.items()
    }
)


def scope_of(role: Role, permission: Permission) -> Scope | None:
    """How far `role` may use `permission`, or None when it may not at all."""
    return MATRIX[role].get(permission)


def require(role: Role, permission: Permission) -> Scope:
    """The scope of `permission` for `role`; raises Forbidden saying whom to ask instead."""
    scope = scope_of(role, permission)
    if scope is None:
        raise Forbidden(
            f"{role.with_article} may not {permission.action}; ask {_who_can(permission)}"
        )
    return scope


def permissions_of(role: Role) -> frozenset[Permission]:
    """Every permission `role` holds at some scope."""
    return frozenset(MATRIX[role])


def _who_can(permission: Permission) -> str:
    # Only roles that reach a whole tenant can do it on someone's behalf; nearest first,
    # so the message reads "ask a manager or admin" rather than starting at the top.
    holders = [
        role.label
        for role in reversed(Role)
        if (scope := scope_of(role, permission)) is not None and scope.includes(Scope.TENANT)
    ]
    listed = holders[0] if len(holders) == 1 else f"{', '.join(holders[:-1])} or {holders[-1]}"
    article = "an" if listed[0] in "aeiou" else "a"
    return f"{article} {listed}"


def render_matrix() -> str:
    """The matrix as a Markdown table: a row per permission, a column per role."""
    header = ["permission", *(role.value for role in Role)]
    rows = [
        [f"`{permission.value}`", *(str(scope_of(role, permission) or "—") for role in Role)]
        for permission in Permission
    ]
    widths = [max(len(line[i]) for line in [header, *rows]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(header), rule, *(line(row) for row in rows)])


MATRIX_START = "<!-- matrix:start -->"
MATRIX_END = "<!-- matrix:end -->"


def matrix_block(document: str) -> str:
    """The text between the matrix markers of `document`, without surrounding blank lines."""
    start, end = _marker_positions(document)
    return document[start:end].strip("\n")


def with_matrix(document: str) -> str:
    """`document` with the text between the matrix markers replaced by `render_matrix()`."""
    start, end = _marker_positions(document)
    return f"{document[:start]}\n{render_matrix()}\n{document[end:]}"


def _marker_positions(document: str) -> tuple[int, int]:
    start, end = document.find(MATRIX_START), document.find(MATRIX_END)
    if start < 0 or end < start:
        raise ValueError(f"the document needs {MATRIX_START} followed by {MATRIX_END}")
    return start + len(MATRIX_START), end


def main(argv: Sequence[str] | None = None) -> int:
    """Prints the matrix, or rewrites the matrix block of a Markdown file with --write."""
    parser = argparse.ArgumentParser(prog="python -m headset.access.permissions")
    parser.add_argument("--write", type=Path, metavar="FILE", help="e.g. docs/permissions.md")
    args = parser.parse_args(argv)
    if args.write is None:
        print(render_matrix())
        return 0
    path: Path = args.write
    path.write_text(with_matrix(path.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"wrote the permission matrix to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
