"""Query and path parameter declarations shared across areas."""

from __future__ import annotations

from litestar.params import Parameter

# PostgreSQL text cannot hold NUL, so no parameter may contain one; saying so in the schema
# keeps clients (and contract tests) from sending what can only be refused.
NO_NUL = r"^[^\x00]*$"
# Some character other than ASCII space or control, and no NUL. Written as explicit ranges
# because Python's \s and ECMAScript's \s (the JSON Schema dialect) disagree on \x1c-\x1f.
VISIBLE_TEXT = r"^[^\x00]*[^\x00-\x20][^\x00]*$"
NAME_MAX = 300  # the longest actor name, metric synonym or label the database accepts


def text_param(description: str, *, max_length: int = NAME_MAX) -> Parameter:  # type: ignore[valid-type]
    return Parameter(min_length=1, max_length=max_length, pattern=NO_NUL, description=description)
