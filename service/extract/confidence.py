"""Confidence from documented factors (the curation rules of seeds/README.md, applied mechanically).

Base by source: 0.9 a named source reported directly; 0.8 through one intermediary; 0.7 through
two or more; 0.5 an unnamed group or a single eyewitness (whatever the chain); 0.5 at most when
no source is named. Then -0.1 for a vague value (dozens, hundreds), -0.05 for an approximate or
"nearly" value, -0.15 for a hedge ("reportedly", "it is unclear", "apparently", "according to
media reports", "have been reported"). Rounded to two decimals, clamped to [0, 1].
"""

from __future__ import annotations

from .models import ConfidenceFactor

NAMED_DIRECT = 0.9
UNNAMED = 0.5
NO_SOURCE = 0.5
PER_INTERMEDIARY = -0.1
MAX_INTERMEDIARY = -0.2
VAGUE = -0.1
APPROXIMATE = -0.05
HEDGE = -0.15


def score(
    has_claimant: bool,
    unnamed: bool,
    eyewitness: bool,
    n_via: int,
    qualifier: str | None,
    hedges: list[str],
) -> tuple[float, list[ConfidenceFactor]]:
    factors: list[ConfidenceFactor] = []
    if not has_claimant:
        factors.append(ConfidenceFactor("no_source", NO_SOURCE))
    elif eyewitness:
        factors.append(ConfidenceFactor("eyewitness_source", UNNAMED))
    elif unnamed:
        factors.append(ConfidenceFactor("unnamed_source", UNNAMED))
    else:
        factors.append(ConfidenceFactor("named_source", NAMED_DIRECT))
        if n_via == 1:
            factors.append(ConfidenceFactor("via_intermediary", PER_INTERMEDIARY))
        elif n_via >= 2:
            factors.append(ConfidenceFactor("via_intermediaries", MAX_INTERMEDIARY))
    if qualifier == "vague":
        factors.append(ConfidenceFactor("vague_value", VAGUE))
    elif qualifier in ("approximately", "nearly"):
        factors.append(ConfidenceFactor("approximate_value", APPROXIMATE))
    if hedges:
        factors.append(ConfidenceFactor(f"hedge:{hedges[0]}", HEDGE))
    total = sum(f.effect for f in factors)
    return round(min(1.0, max(0.0, total)), 2), factors
