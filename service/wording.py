"""What a validation error says, in plain words: what was expected, with the valid values or an
example, rather than the decoding library's type notation (``Expected `float | null`, got `str```).

Pure functions of msgspec's message, the parameter's OpenAPI schema (when it is a query
parameter) and the value sent; ``service.errors`` calls them for every 400 on input.
"""

from __future__ import annotations

import re
from typing import Any

_TYPE_WORDS = {
    "int": "a whole number",
    "integer": "a whole number",
    "float": "a number",
    "number": "a number",
    "str": "text",
    "string": "text",
    "bool": "true or false",
    "boolean": "true or false",
    "array": "a list",
    "object": "a JSON object",
    "null": "null",
}
_EXAMPLES = {"a whole number": "e.g. 50", "a number": "e.g. 0.8", "true or false": "e.g. true"}

_EXPECTED = re.compile(r"^Expected `([^`]+)`(?:\s*(>=|<=|>|<)\s*(-?[0-9.e+]+))?(?:, got `([^`]+)`)?")
_LENGTH = re.compile(r"^Expected `(?:str|array)` of length (>=|<=) ([0-9]+)")


def _number(text: str) -> str:
    value = float(text)
    return str(int(value)) if value.is_integer() else text


def _bounds(schema: dict[str, Any] | None) -> tuple[str | None, str | None]:
    if not schema:
        return None, None
    low, high = schema.get("minimum"), schema.get("maximum")
    show = lambda v: None if v is None or abs(v) > 1e12 else _number(str(v))  # noqa: E731
    return show(low), show(high)


def _enum_values(schema: dict[str, Any] | None) -> list[str]:
    """The valid values of an enum schema, however it is nested (oneOf, array items)."""
    if not schema:
        return []
    found: list[str] = [v for v in schema.get("enum", []) if isinstance(v, str)]
    for key in ("oneOf", "anyOf"):
        for sub in schema.get(key, []):
            found += _enum_values(sub)
    if isinstance(schema.get("items"), dict):
        found += _enum_values(schema["items"])
    return list(dict.fromkeys(found))


def _kind(types: str) -> str:
    """``float | null`` → "a number"; ``int`` → "a whole number"."""
    words = [_TYPE_WORDS.get(t.strip(), t.strip()) for t in types.split("|")]
    words = [w for w in words if w != "null"] or ["null"]
    return " or ".join(dict.fromkeys(words))


def _given(given: str | None) -> str:
    return f", not {given[:60]!r}" if given is not None else ""


def plain_message(message: str, schema: dict[str, Any] | None = None, given: str | None = None) -> str | None:
    """``message`` put in plain words, or None when it is already plain (left as it is)."""
    if message.startswith("Invalid enum value"):
        values = _enum_values(schema)
        sent = message[len("Invalid enum value "):]
        if values:
            return f"{sent} is not one of the values this parameter takes: {', '.join(values)}"
        return f"{sent} is not one of the values this parameter takes (see /schema/openapi.json)"
    if m := _LENGTH.match(message):
        op, n = m.groups()
        return f"expected {'at least' if op == '>=' else 'at most'} {n} character{'s' if n != '1' else ''}"
    m = _EXPECTED.match(message)
    if not m:
        return None
    types, op, bound, _got = m.groups()
    kind = _kind(types)
    low, high = _bounds(schema)
    if op is not None:
        low = _number(bound) if op in (">=", ">") and low is None else low
        high = _number(bound) if op in ("<=", "<") and high is None else high
        if op in (">", "<"):
            return f"expected {kind} {'greater' if op == '>' else 'less'} than {_number(bound)}{_given(given)}"
    if low is not None and high is not None:
        return f"expected {kind} from {low} to {high}{_given(given)}"
    if low is not None:
        return f"expected {kind} of at least {low}{_given(given)}"
    if high is not None:
        return f"expected {kind} of at most {high}{_given(given)}"
    example = _EXAMPLES.get(kind)
    return f"expected {kind}{' (' + example + ')' if example else ''}{_given(given)}"
