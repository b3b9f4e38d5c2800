"""Fixed choices of the administration's forms, and the help shown under every id."""

from __future__ import annotations

from headset.routing.model import Strategy
from headset.web.resources.model import N_

ROLE_OPTIONS = (
    ("agent", N_("Agent")),
    ("team_leader", N_("Team leader")),
    ("supervisor", N_("Supervisor")),
    ("qa", N_("Quality assurance")),
    ("manager", N_("Manager")),
    ("admin", N_("Administrator")),
)
ROLE_LABELS = dict(ROLE_OPTIONS)
LANGUAGE_OPTIONS = (("en", "English"), ("nl", "Nederlands"), ("de", "Deutsch"), ("lv", "Latviešu"))
STRATEGY_OPTIONS = (
    (Strategy.LONGEST_IDLE.value, N_("Longest idle agent")),
    (Strategy.ROUND_ROBIN.value, N_("Round robin")),
    (Strategy.FEWEST_CONTACTS.value, N_("Fewest contacts today")),
    (Strategy.LEAST_OCCUPIED.value, N_("Least occupied")),
    (Strategy.SKILLS_WEIGHTED.value, N_("Best skill match")),
    (Strategy.TOP_DOWN.value, N_("Top down (fixed order)")),
    (Strategy.RING_ALL.value, N_("Ring all")),
)
OVERFLOW_ACTIONS = (
    ("relax_skill", N_("Accept a lower skill level")),
    ("add_queue", N_("Also offer to another queue's agents")),
    ("add_team_leaders", N_("Also offer to team leaders")),
    ("raise_priority", N_("Raise the priority")),
)
WEEKDAYS = (
    ("mon", N_("Monday")),
    ("tue", N_("Tuesday")),
    ("wed", N_("Wednesday")),
    ("thu", N_("Thursday")),
    ("fri", N_("Friday")),
    ("sat", N_("Saturday")),
    ("sun", N_("Sunday")),
)

RECORDING_OPTIONS = (
    ("tenant", N_("As the tenant's default")),
    ("none", N_("Not recorded")),
    ("all", N_("Every call")),
    ("on_demand", N_("On demand")),
)

ID_HELP = N_("Lower-case letters, digits, dots, dashes and underscores; cannot be changed later.")
