# syntax=docker/dockerfile:1
#
# factdesk API image.
#
#   docker build -t factdesk .
#   docker run -p 8000:8000 -e DATABASE_URL=postgresql://user:pass@host:5432/factdesk factdesk
#
# or `docker compose up` with docker-compose.yml (PostgreSQL + the API).
#
# Two stages: the builder resolves and installs the locked dependencies with uv; the runtime
# stage gets only the finished /app (virtualenv + source), without uv, its cache or build tools.
# Both stages use the same base image, so the venv's python symlink
# (/usr/local/bin/python3.11) is valid in the runtime stage too.

# ---------------------------------------------------------------------------------------------
FROM python:3.11-slim-bookworm AS builder

# uv comes from its official image, pinned to an exact release, rather than `pip install uv`:
# it is one static binary (no pip resolver run against the system interpreter, nothing left in
# its site-packages), the version is exact and matches the one that writes our uv.lock, so
# `--locked` reads the same lock format, and it lives only in this stage. If ghcr.io is not
# reachable from your build host, `RUN pip install uv==0.13.9` in its place is equivalent.
COPY --from=ghcr.io/astral-sh/uv:0.13.9 /uv /uvx /bin/

# - use the image's interpreter, never download one (the runtime stage has the same one);
# - compile bytecode now, because the runtime user cannot write __pycache__ under /app;
# - copy rather than hardlink out of the cache mount (different filesystems).
ENV UV_PYTHON_DOWNLOADS=never \
    UV_PYTHON=/usr/local/bin/python3.11 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PROJECT_ENVIRONMENT=/app/.venv

WORKDIR /app

# Dependencies first, in their own layer: it is rebuilt only when the lock changes.
COPY pyproject.toml uv.lock ./
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --locked --no-dev --no-install-project

# Then the project itself. It stays an *editable* install on purpose: the service finds
# pyproject.toml (Alembic config), migrations/, seeds/ and openapi/ next to the `service`
# package (Path(__file__).parents[...]), so the package must run from /app/service, not from
# a copy in site-packages (which `--no-editable` would make).
COPY README.md ./
COPY service ./service
COPY migrations ./migrations
COPY seeds ./seeds
COPY openapi ./openapi
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --locked --no-dev \
 && python -m compileall -q service migrations

# ---------------------------------------------------------------------------------------------
FROM python:3.11-slim-bookworm AS runtime

LABEL org.opencontainers.image.title="factdesk" \
      org.opencontainers.image.description="Source-attributed fact lookup: every competing figure, who said it, and a verbatim citation." \
      org.opencontainers.image.licenses="Apache-2.0"

# An unprivileged user with a home folder (the embedded PostgreSQL keeps its data under it
# when the container is run without DATABASE_URL). The numeric id lets orchestrators verify
# runAsNonRoot without reading /etc/passwd.
RUN groupadd --system --gid 10001 factdesk \
 && useradd --system --uid 10001 --gid factdesk --create-home --home-dir /home/factdesk \
        --shell /usr/sbin/nologin factdesk

# Owned by root and read-only for the service user: the code cannot be modified at run time.
COPY --from=builder /app /app

ENV PATH="/app/.venv/bin:${PATH}" \
    VIRTUAL_ENV=/app/.venv \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    FACTDESK_HOST=0.0.0.0 \
    FACTDESK_PORT=8000

WORKDIR /app
USER 10001:10001

EXPOSE 8000

# Liveness only (/healthz answers without the database; /readyz checks it). The start period
# covers migrations and the first seed load. Python, because slim images have no curl.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status == 200 else 1)"]

# Exec form: factdesk is PID 1 and receives SIGTERM directly (it shuts down gracefully, exit 0).
CMD ["factdesk", "serve", "--host", "0.0.0.0", "--port", "8000"]
