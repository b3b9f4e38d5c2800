"""The post-chat survey and CSAT, exactly as docs/glossary.md defines it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from headset.core.errors import Invalid

MAX_COMMENT = 2000
#: Ratings that count as satisfied (glossary: "answers of 4 or 5 on a 1-5 scale").
SATISFIED = frozenset({4, 5})


@dataclass(frozen=True, slots=True)
class SurveyAnswer:
    """A customer's rating (1-5) of a contact, with an optional comment."""

    rating: int
    comment: str | None = None


def survey_answer(rating: int, comment: str | None) -> SurveyAnswer:
    """A valid answer, or Invalid saying what is wrong."""
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise Invalid(f"the rating is a whole number from 1 to 5, not {rating!r}")
    text = comment.strip() if comment else None
    if text and len(text) > MAX_COMMENT:
        raise Invalid(f"the comment may be at most {MAX_COMMENT} characters, not {len(text)}")
    return SurveyAnswer(rating, text or None)


def csat(ratings: Iterable[int]) -> float | None:
    """Answers of 4 or 5 / all answers, in %; None when there are no answers."""
    answers = list(ratings)
    if not answers:
        return None
    return 100.0 * sum(1 for r in answers if r in SATISFIED) / len(answers)
