"""The migration's backfill (migration 0012), on its synchronous connection."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import msgspec

from service.events.store import SeedEvent, backfill_steps, kinds, run_sync

SEEDS = Path(__file__).resolve().parent.parent.parent / "seeds"


def seed_events(seeds_dir: Path = SEEDS) -> list[tuple[SeedEvent, list[bytes]]]:
    """The curated events with the content hashes of their documents (seeds/events.json and
    the manifest's files)."""
    path = seeds_dir / "events.json"
    if not path.exists():
        return []
    events = msgspec.json.decode(path.read_bytes(), type=list[SeedEvent])
    manifest = msgspec.json.decode((seeds_dir / "manifest.json").read_bytes())["documents"]
    files = {d["key"]: d["file"] for d in manifest}
    out = []
    for e in events:
        hashes = []
        for key in e.documents:
            with open(seeds_dir / files[key], encoding="utf-8", newline="") as fh:
                hashes.append(hashlib.sha256(fh.read().encode()).digest())
        out.append((e, hashes))
    return out


def assign_existing_sync(conn: Any, _hashes: list[bytes] | None = None) -> None:
    run_sync(conn, backfill_steps(seed_events(), kinds()))
