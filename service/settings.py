"""Settings, read once from environment variables (all optional; README lists them)."""

from __future__ import annotations

import os
from pathlib import Path

import msgspec


def _default_home() -> Path:
    data = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data) / "factdesk"


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    """What the service and the CLI are configured with.

    Every field has an environment variable of the same name in upper case with the
    ``FACTDESK_`` prefix, except ``database_url`` which is plain ``DATABASE_URL`` because
    that is what hosting platforms and docker-compose set. ``read_database_url``
    (FACTDESK_READ_DATABASE_URL) sends GET and HEAD requests to a read replica.
    """

    database_url: str | None = None
    read_database_url: str | None = None
    home: Path = msgspec.field(default_factory=_default_home)
    host: str = "127.0.0.1"
    port: int = 8000
    seeds_dir: Path = Path(__file__).resolve().parent.parent / "seeds"
    pool_size: int = 10
    statement_timeout_ms: int = 5000
    max_body_bytes: int = 4_194_304  # a 200,000-character text JSON-escaped (\uXXXX, 6-12 bytes a character) fits
    write_rate_per_minute: int = 600
    body_timeout_s: float = 10.0  # a write's body must arrive within this (408 otherwise)
    max_connections: int = 1000  # per worker: past this, new requests get 503 at once
    log_level: str = "info"

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        kwargs: dict[str, object] = {}
        if env.get("DATABASE_URL"):
            kwargs["database_url"] = env["DATABASE_URL"]
        for name, conv in (
            ("read_database_url", str),
            ("home", Path),
            ("host", str),
            ("port", int),
            ("seeds_dir", Path),
            ("pool_size", int),
            ("statement_timeout_ms", int),
            ("max_body_bytes", int),
            ("write_rate_per_minute", int),
            ("body_timeout_s", float),
            ("max_connections", int),
            ("log_level", str),
        ):
            raw = env.get(f"FACTDESK_{name.upper()}")
            if raw:
                try:
                    kwargs[name] = conv(raw)
                except ValueError as exc:
                    raise SystemExit(f"FACTDESK_{name.upper()}={raw!r} is not valid: {exc}") from None
        return cls(**kwargs)  # type: ignore[arg-type]


def normalize_database_url(url: str) -> str:
    """Accept the URL forms people paste and return the SQLAlchemy psycopg 3 form."""
    for prefix in ("postgresql+psycopg://", "postgresql+psycopg2://", "postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    raise SystemExit(f"DATABASE_URL must be a postgresql:// URL, got {url.split(':', 1)[0]}://…")
