"""A team's target of contacts per hour: kept with the team, delivered with each agent's row."""

from __future__ import annotations

import pytest

from tests.service.conftest import Center, ok


def _team(center: Center, **target: object) -> dict[str, object]:
    t = center.tenants["alpha"]
    leader = t.users["team_leader"][2]
    return {"team_id": t.team_id, "name": "Team", "leader_user_id": leader, **target}


def test_the_target_round_trips_and_reaches_the_agents_own_row(center: Center) -> None:
    t = center.tenants["alpha"]
    base = f"/api/v1/tenants/{t.tenant_id}"
    manager = center.as_user("alpha", "manager")
    team = _team(center, contacts_per_hour_target=7.5)
    saved = ok(manager.put(f"{base}/teams/{t.team_id}", json=team))
    assert saved["contacts_per_hour_target"] == 7.5
    assert ok(manager.get(f"{base}/teams/{t.team_id}"))["contacts_per_hour_target"] == 7.5
    listed = {r["team_id"]: r for r in ok(manager.get(f"{base}/teams"))}
    assert listed[t.team_id]["contacts_per_hour_target"] == 7.5

    agent = center.as_user("alpha", "agent")
    (mine,) = ok(agent.get(f"{base}/stats/agents"))
    assert mine["agent_id"] == t.agents["agent"]
    assert mine["contacts_per_hour_target"] == 7.5
    # the team leader's rows (their team) carry it too; beta's agents know nothing of it
    rows = ok(center.as_user("alpha", "team_leader").get(f"{base}/stats/agents"))
    assert {r["contacts_per_hour_target"] for r in rows} == {7.5}
    beta = ok(center.as_user("beta", "supervisor").get("/api/v1/tenants/beta/stats/agents"))
    assert [r["contacts_per_hour_target"] for r in beta] == [None] * 2

    # saving the team without a target removes it
    ok(manager.put(f"{base}/teams/{t.team_id}", json=_team(center)))
    (mine,) = ok(agent.get(f"{base}/stats/agents"))
    assert mine["contacts_per_hour_target"] is None


@pytest.mark.parametrize("target", [0, -3, 1000.5, "many"])
def test_a_target_that_is_not_a_positive_number_up_to_1000_is_refused(
    center: Center, target: object
) -> None:
    url = f"/api/v1/tenants/alpha/teams/{center.tenants['alpha'].team_id}"
    manager = center.as_user("alpha", "manager")
    ok(manager.put(url, json=_team(center, contacts_per_hour_target=1000)))  # the most
    response = manager.put(url, json=_team(center, contacts_per_hour_target=target))
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == ["contacts_per_hour_target"]
    assert ok(manager.get(url))["contacts_per_hour_target"] == 1000
