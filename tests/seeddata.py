"""The curated seed files, read the way a test needs them (expected answers come from here)."""

from __future__ import annotations

import json
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def load(name: str):
    return json.loads((SEEDS / f"{name}.json").read_text(encoding="utf-8"))


CLAIMS = load("claims")
ACTORS = load("actors")
METRICS = load("metrics")
MANIFEST = load("manifest")
