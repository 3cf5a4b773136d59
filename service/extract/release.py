"""A press release, situation report or official statement speaks in its issuer's voice: a figure
it states without a source is the issuer's. The issuer is the first source the release names
for a figure, else an organisation named on a header line ("Ministry of Home Affairs").

Markers and header words are data (RELEASE_MARKERS, HEADER_ORG_WORDS)."""

from __future__ import annotations

import re

from .attribution import Actor

RELEASE_MARKERS = re.compile(
    r"^\W*(?:press\s+(?:release|note|statement|briefing)|situation\s+(?:update|report)|official\s+statement"
    r"|communiqu[eé]|bulletin|statement\s+by)\b",
    re.I | re.M,
)
HEADER_LINES = 6
HEADER_ORG_WORDS = ("ministry", "authority", "council", "department", "agency", "office", "commission", "directorate", "centre", "center", "government")


def is_release(text: str) -> bool:
    """The text opens (within its header) with a release marker."""
    return bool(RELEASE_MARKERS.search(text[:400]))


def header_issuer(text: str) -> Actor | None:
    """An organisation named alone on a header line, the most specific body first."""
    lines = [ln.strip() for ln in text[:600].split("\n")[:HEADER_LINES]]
    found = []
    for ln in lines:
        if not ln or any(ch.isdigit() for ch in ln) or ln.endswith((".", ":")) or len(ln.split()) > 8:
            continue
        low = ln.lower()
        for rank, w in enumerate(HEADER_ORG_WORDS):
            if re.search(rf"\b{w}\b", low):
                found.append((rank, ln))
                break
    if not found:
        return None
    name = min(found)[1]
    if name.isupper():
        name = " ".join(w if len(w) <= 3 and w not in ("OF", "AND", "FOR", "THE") else w.capitalize() for w in name.split())
        name = re.sub(r"\b(Of|And|For|The)\b", lambda m: m.group(1).lower(), name)
    return Actor(key=name, slug=None, kind="government", person=False, org=True)
