"""Pydantic types for text a person types into a public form: control characters refused.

The rule is `core.text`'s; these types apply it while the body is parsed, so the 422 names
the field (`name`, `email`, `message`...) with the type `control_character`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, EmailStr
from pydantic_core import PydanticCustomError

from headset.core.text import control_character


def _refuse(is_multiline: bool) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if isinstance(value, str):
            char = control_character(value, is_multiline=is_multiline)
            if char is not None:
                raise PydanticCustomError(
                    "control_character",
                    "control characters are not allowed (found {character})",
                    {"character": f"U+{ord(char):04X}"},
                )
        return value

    return check


#: One line: a name, a subject. No control characters, no bidirectional overrides.
TypedLine = Annotated[str, AfterValidator(_refuse(False))]
#: A message: tabs and line breaks allowed, other control characters not.
TypedText = Annotated[str, AfterValidator(_refuse(True))]
#: An e-mail address, checked for control characters before its syntax.
TypedEmail = Annotated[EmailStr, BeforeValidator(_refuse(False))]
