"""The reference to an event that claims, documents and summaries carry (no imports, so any
schema module can use it)."""

from __future__ import annotations

import msgspec


class EventRef(msgspec.Struct):
    """Which event: enough to name it and to link to ``/events/{slug}``."""

    slug: str
    name: str
