"""The directory's rules that need no database."""

from __future__ import annotations

import pytest

from headset.core.errors import Conflict, Invalid
from headset.directory.rules import check_proficiencies, check_same_id


def test_a_body_may_leave_out_or_repeat_the_urls_id_but_not_name_another() -> None:
    check_same_id("queue_id", None, "sales")
    check_same_id("queue_id", "sales", "sales")
    with pytest.raises(Conflict, match="the body's queue_id 'support' differs from the URL's"):
        check_same_id("queue_id", "support", "sales")


@pytest.mark.parametrize("levels", [[0], [11], [5, 0]])
def test_skill_levels_outside_one_to_ten_are_refused_on_the_skills_field(
    levels: list[int],
) -> None:
    with pytest.raises(Invalid) as refused:
        check_proficiencies(levels)
    assert refused.value.field == "skills"
    assert refused.value.params == {"min": 1, "max": 10}


def test_skill_levels_from_one_to_ten_are_taken() -> None:
    check_proficiencies([1, 10, 5])
    check_proficiencies([])
