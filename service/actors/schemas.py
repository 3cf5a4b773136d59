"""Actor shapes on the wire."""

from __future__ import annotations

from typing import Literal

import msgspec

ActorKind = Literal["person", "government", "organisation", "media", "country", "other"]


class ActorRef(msgspec.Struct):
    """Who: enough to name an actor and to link to ``/actors/{slug}``."""

    slug: str
    name: str


class SimilarActor(msgspec.Struct, kw_only=True):
    """Another actor whose name is spelt much like this one's (trigram similarity 0..1): maybe
    the same one. Writes never merge them; a person decides."""

    slug: str
    name: str
    score: float


class Actor(msgspec.Struct, kw_only=True):
    """An actor with every name it goes by and how much it claims, and the actors spelt
    most like it (``similar``)."""

    slug: str
    name: str
    kind: ActorKind
    role: str | None = None
    aliases: list[str]
    claims: int
    figures: int
    statements: int
    similar: list[SimilarActor] = []


class ActorMatch(msgspec.Struct, kw_only=True):
    """A search hit: the actor, the name that matched and how closely (0..1)."""

    slug: str
    name: str
    kind: ActorKind
    role: str | None = None
    matched: str
    score: float


class ActorPage(msgspec.Struct):
    items: list[ActorMatch]
    next_cursor: str | None = None
