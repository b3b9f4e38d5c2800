"""The routing engine (ACD): matches every contact to an agent by skills, priority and strategy."""

from headset.routing.engine import Engine
from headset.routing.timers import Result, Timer

__all__ = ["Engine", "Result", "Timer"]
