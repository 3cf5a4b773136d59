"""Names that resolved, remembered per worker for a while: a page filtered by a metric or an
actor need not ask the database which one "arrests" or "Interior Ministry" is on every request.

Only hits are kept, never misses, so a name loaded a moment ago resolves at once; what a kept
name means can only go stale for ``ttl`` seconds. Keys include the engine, so two databases
served by one process never share an entry."""

from __future__ import annotations

import time
from typing import Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection

T = TypeVar("T")


class NameMemory(Generic[T]):
    def __init__(self, ttl: float, size: int = 10_000) -> None:
        self.ttl = ttl
        self._size = size
        self._entries: dict[tuple[int, str], tuple[float, T]] = {}

    def get(self, conn: AsyncConnection, name: str) -> T | None:
        hit = self._entries.get((id(conn.engine), name))
        return hit[1] if hit is not None and time.monotonic() - hit[0] < self.ttl else None

    def put(self, conn: AsyncConnection, name: str, value: T) -> T:
        if len(self._entries) >= self._size:  # spellings are many; keep the memory bounded
            self._entries.clear()
        self._entries[(id(conn.engine), name)] = (time.monotonic(), value)
        return value
