"""Scheduled agents after shrinkage."""

from __future__ import annotations

import numpy as np
import pytest

from headset.staffing import scheduled_agents


def test_scheduled_agents_round_up_after_shrinkage() -> None:
    assert scheduled_agents(14, 0.3) == 20  # 14 / 0.7 = 20 exactly
    assert scheduled_agents(7, 0.3) == 10  # 7 / 0.7 is 10.000000000000002 in floats
    assert scheduled_agents(15, 0.3) == 22  # 21.43 -> 22
    assert scheduled_agents(14, 0.0) == 14
    assert scheduled_agents(np.array([14, 15]), 0.3).tolist() == [20, 22]


def test_shrinkage_of_one_hundred_percent_is_rejected() -> None:
    with pytest.raises(ValueError, match="shrinkage"):
        scheduled_agents(10, 1.0)
