"""The permission matrix: who may do what, how far, and the doc page that shows it."""

from __future__ import annotations

from pathlib import Path

import pytest

from headset.access.permissions import (
    MATRIX,
    MATRIX_END,
    MATRIX_START,
    Permission,
    Scope,
    main,
    matrix_block,
    permissions_of,
    render_matrix,
    require,
    scope_of,
    with_matrix,
)
from headset.access.roles import Role
from headset.core.errors import Forbidden

DOC = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"
REGENERATE = ".venv/bin/python -m headset.access.permissions --write docs/permissions.md"


def test_permissions_have_dotted_wire_values() -> None:
    assert Permission.AGENT_STATE_OWN.value == "agent.state.own"
    assert Permission("contact.reassign") is Permission.CONTACT_REASSIGN
    assert all("." in permission.value for permission in Permission)


def test_every_permission_has_an_action_in_words() -> None:
    assert all(permission.action for permission in Permission)


def test_the_matrix_cannot_be_changed_at_run_time() -> None:
    with pytest.raises(TypeError):
        MATRIX[Role.AGENT][Permission.TENANT_MANAGE] = Scope.CENTER  # type: ignore[index]
    with pytest.raises(TypeError):
        MATRIX[Role.AGENT] = {}  # type: ignore[index]


def test_the_admin_may_do_everything_across_the_center() -> None:
    assert dict(MATRIX[Role.ADMIN]) == dict.fromkeys(Permission, Scope.CENTER)


def test_only_the_admin_manages_tenants() -> None:
    holders = {role for role in Role if Permission.TENANT_MANAGE in permissions_of(role)}
    assert holders == {Role.ADMIN}


def test_managers_run_their_tenants() -> None:
    for permission in (
        Permission.USER_MANAGE,
        Permission.CONFIG_MANAGE,
        Permission.TOKEN_MANAGE,
        Permission.WEBHOOK_MANAGE,
        Permission.AUDIT_READ,
    ):
        assert scope_of(Role.MANAGER, permission) is Scope.TENANT


def test_supervisors_steer_the_floor_but_do_not_configure() -> None:
    assert scope_of(Role.SUPERVISOR, Permission.AGENT_STATE_ANY) is Scope.TENANT
    assert scope_of(Role.SUPERVISOR, Permission.CONTACT_REASSIGN) is Scope.TENANT
    assert scope_of(Role.SUPERVISOR, Permission.STATS_READ) is Scope.TENANT
    assert scope_of(Role.SUPERVISOR, Permission.CONFIG_MANAGE) is None


def test_team_leaders_steer_their_teams_and_take_overflow_contacts() -> None:
    assert scope_of(Role.TEAM_LEADER, Permission.CONTACT_READ) is Scope.TEAM
    assert scope_of(Role.TEAM_LEADER, Permission.AGENT_STATE_ANY) is Scope.TEAM
    assert scope_of(Role.TEAM_LEADER, Permission.CONTACT_REASSIGN) is Scope.TEAM
    assert scope_of(Role.TEAM_LEADER, Permission.CONTACT_HANDLE) is Scope.OWN
    assert scope_of(Role.TEAM_LEADER, Permission.AGENT_STATE_OWN) is Scope.OWN


def test_qa_reads_but_never_acts() -> None:
    for permission in permissions_of(Role.QA):
        # listening to a recording is a read too (docs/permissions.md)
        assert permission.value.endswith((".read", ".listen")), permission
    assert scope_of(Role.QA, Permission.CONTACT_READ) is Scope.TENANT


def test_agents_act_on_their_own_contacts_and_read_the_customer_card() -> None:
    for permission in (
        Permission.CONTACT_READ,
        Permission.CONTACT_HANDLE,
        Permission.CONTACT_TRANSFER,
        Permission.CONTACT_ESCALATE,
        Permission.CONTACT_CALLBACK,
        Permission.NOTE_WRITE,
        Permission.AGENT_STATE_OWN,
    ):
        assert scope_of(Role.AGENT, permission) is Scope.OWN
    assert scope_of(Role.AGENT, Permission.CUSTOMER_READ) is Scope.OWN  # while handling one
    assert scope_of(Role.AGENT, Permission.CONTACT_CREATE) is None
    assert scope_of(Role.AGENT, Permission.AGENT_STATE_ANY) is None


def test_every_role_reads_its_tenant_and_configuration() -> None:
    for role in Role:
        assert Permission.TENANT_READ in permissions_of(role)
        assert Permission.CONFIG_READ in permissions_of(role)


def test_wider_scopes_include_narrower_ones() -> None:
    assert Scope.CENTER.includes(Scope.TENANT)
    assert Scope.TENANT.includes(Scope.TEAM)
    assert Scope.TEAM.includes(Scope.OWN)
    assert Scope.OWN.includes(Scope.OWN)
    assert not Scope.TEAM.includes(Scope.TENANT)


def test_require_returns_the_scope_granted() -> None:
    assert require(Role.SUPERVISOR, Permission.CONTACT_READ) is Scope.TENANT


def test_require_says_who_to_ask_when_forbidden() -> None:
    with pytest.raises(Forbidden) as raised:
        require(Role.TEAM_LEADER, Permission.CONFIG_MANAGE)
    message = str(raised.value)
    assert message.startswith("a team leader may not change the configuration (teams, skills, ")
    assert message.endswith("; ask a manager or admin")


def test_require_names_only_the_admin_for_tenant_management() -> None:
    with pytest.raises(Forbidden, match=r"^a manager may not manage tenants; ask an admin$"):
        require(Role.MANAGER, Permission.TENANT_MANAGE)


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.split("|")[1:-1]]


def test_the_matrix_renders_as_a_markdown_table_of_permissions_by_role() -> None:
    header, rule, *rows = render_matrix().splitlines()
    assert _cells(header) == ["permission", *(role.value for role in Role)]
    assert set(rule) == {"|", "-"}
    assert [_cells(row)[0] for row in rows] == [f"`{p.value}`" for p in Permission]
    audit = next(row for row in rows if "`audit.read`" in row)
    assert _cells(audit) == ["`audit.read`", "center", "tenant", "—", "—", "—", "—"]


def test_the_permissions_page_shows_the_current_matrix() -> None:
    assert matrix_block(DOC.read_text(encoding="utf-8")) == render_matrix(), (
        f"docs/permissions.md no longer matches the permission matrix; regenerate it with "
        f"`{REGENERATE}` (from the repository root) and review the diff"
    )


def test_the_matrix_block_is_rewritten_between_its_markers() -> None:
    document = f"# Title\n\n{MATRIX_START}\nold table\n{MATRIX_END}\n\nAfter.\n"
    rewritten = with_matrix(document)
    assert matrix_block(rewritten) == render_matrix()
    assert rewritten.startswith("# Title\n\n")
    assert rewritten.endswith(f"{MATRIX_END}\n\nAfter.\n")
    assert with_matrix(rewritten) == rewritten


def test_a_document_without_markers_is_refused() -> None:
    with pytest.raises(ValueError, match="matrix:start"):
        with_matrix("# no markers here\n")


def test_the_command_rewrites_a_file(tmp_path: Path) -> None:
    page = tmp_path / "permissions.md"
    page.write_text(f"{MATRIX_START}\n{MATRIX_END}\n", encoding="utf-8")
    assert main(["--write", str(page)]) == 0
    assert matrix_block(page.read_text(encoding="utf-8")) == render_matrix()


def test_the_command_prints_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 0
    assert capsys.readouterr().out == render_matrix() + "\n"
