"""Erlang staffing calculators: Erlang B, C and A, service level, ASA and required agents.

Times are in seconds, targets and shrinkage are fractions. Every function accepts scalars
or numpy arrays that broadcast together (intervals x queues) and returns floats / ints for
scalars and arrays otherwise. See docs/staffing.md.
"""

from headset.staffing.erlang_a import ErlangAResult, erlang_a
from headset.staffing.erlang_b import erlang_b
from headset.staffing.erlang_c import average_speed_of_answer, erlang_c, service_level
from headset.staffing.required_agents import required_agents
from headset.staffing.required_agents_erlang_a import required_agents_erlang_a
from headset.staffing.shrinkage import scheduled_agents
from headset.staffing.traffic import occupancy, traffic_intensity

__all__ = [
    "ErlangAResult",
    "average_speed_of_answer",
    "erlang_a",
    "erlang_b",
    "erlang_c",
    "occupancy",
    "required_agents",
    "required_agents_erlang_a",
    "scheduled_agents",
    "service_level",
    "traffic_intensity",
]
