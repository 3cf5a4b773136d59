"""factdesk benchmark: one run, one table. Started by bench/run (see bench/README.md).

1. a FRESH database (embedded PostgreSQL in a temporary FACTDESK_HOME, or a new database on
   --database-url's server), migrated, with ``factdesk demo-data --claims N``;
2. ``factdesk serve --workers $(nproc) --no-access-log --no-seed`` as production runs it;
3. wrk over the endpoint mix: requests/s at concurrency 32, p50/p99 at concurrency 4;
   peak RSS of the service's processes meanwhile;
4. the raw limit: the SQL statements each request ran, captured from PostgreSQL's log with
   their bound values, through pgbench at concurrency 32 against the same database;
5. the peer: Datasette over SQLite holding the same claims, same indexes, same queries;
6. cold start: ``factdesk serve`` on a fresh FACTDESK_HOME to the first 200 from /readyz;
7. one table on stdout, and bench/results/<date>-<claims>.md/.json.

Everything listens on 127.0.0.1 only, every step has a time bound, and every server this
script starts is stopped (and its temporary folder removed) on the way out.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import httpx
import psutil
import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import capture  # noqa: E402
import peer  # noqa: E402

from service.db.embedded import EmbeddedPostgres, bin_dir  # noqa: E402
from service.db.engine import plan_options  # noqa: E402
from service.settings import normalize_database_url  # noqa: E402

FACTDESK = str(Path(sys.executable).parent / "factdesk")
DS_FLAGS = {"_nocount": "1", "_nofacet": "1", "_nosuggest": "1"}
VISIBLE = "unreviewed,accepted"
DEEP_PAGES = 50
TARGETS = {"vs_datasette": 3.0, "vs_raw": 0.5, "p99_ms": 20.0, "rss_mb_per_worker": 200.0, "cold_start_s": 5.0}


def say(msg: str) -> None:
    print(f"bench: {msg}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def plain(url: str) -> str:
    return normalize_database_url(url).replace("postgresql+psycopg://", "postgresql://", 1)


# -- processes -------------------------------------------------------------------------------


class Servers:
    """Every process this run starts, stopped in reverse order on exit."""

    def __init__(self) -> None:
        self.procs: list[tuple[str, subprocess.Popen[bytes]]] = []

    def start(self, name: str, cmd: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
        out = log.open("wb")
        proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        self.procs.append((name, proc))
        return proc

    def stop(self, proc: subprocess.Popen[bytes], timeout: float = 30) -> None:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)  # its own session: the server and its workers
                proc.wait(timeout=10)
        self.procs = [(n, p) for n, p in self.procs if p is not proc]

    def stop_all(self) -> None:
        for _, proc in reversed(list(self.procs)):
            self.stop(proc)


def wait_http(url: str, proc: subprocess.Popen[bytes], timeout: float, log: Path | None = None) -> float:
    """Seconds until ``url`` answers 200 (polling every 20 ms)."""
    started = time.monotonic()
    deadline = started + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = log.read_text(errors="replace")[-3000:] if log else ""
            raise RuntimeError(f"{url}: the server exited with {proc.returncode}\n{tail}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return time.monotonic() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.02)
    raise RuntimeError(f"{url} did not answer 200 within {timeout:.0f}s")


def settle(url: str, budget: float = 60) -> bool:
    """Wait until the server has worked off what the last run queued: a cheap request that
    needs the database answers within 100 ms (or the budget runs out)."""
    deadline = time.monotonic() + budget
    with httpx.Client(timeout=15) as client:
        while time.monotonic() < deadline:
            t = time.monotonic()
            with contextlib.suppress(httpx.HTTPError):
                if client.get(url).status_code == 200 and time.monotonic() - t < 0.1:
                    return True
            time.sleep(0.2)
    return False


def tree_rss(pid: int) -> tuple[int, list[int]]:
    """Total RSS of a process and its descendants, and each one's RSS."""
    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0, []
    sizes = []
    for p in procs:
        with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
            sizes.append(p.memory_info().rss)
    return sum(sizes), sizes


class RssSampler:
    """Samples the service's process tree every 100 ms; keeps the peaks."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_total = 0
        self.peak_one = 0
        self.processes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            total, sizes = tree_rss(self.pid)
            self.peak_total = max(self.peak_total, total)
            if sizes:
                self.peak_one = max(self.peak_one, max(sizes))
                self.processes = max(self.processes, len(sizes))
            self._stop.wait(0.1)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


# -- load generators -------------------------------------------------------------------------


@dataclass
class WrkResult:
    rps: float = 0.0
    p50_ms: float | None = None
    p99_ms: float | None = None
    requests: int = 0
    errors: int = 0  # non-2xx/3xx responses and socket errors
    non2xx: int = 0

    @property
    def ok_rps(self) -> float:
        """Requests/s that were answered successfully."""
        if not self.requests:
            return 0.0
        return round(self.rps * max(self.requests - self.non2xx, 0) / self.requests, 2)


def _ms(text: str) -> float:
    m = re.fullmatch(r"([0-9.]+)(us|ms|s|m)", text.strip())
    if not m:
        return float("nan")
    v, unit = float(m.group(1)), m.group(2)
    return {"us": v / 1000, "ms": v, "s": v * 1000, "m": v * 60_000}[unit]


def wrk(url: str, *, connections: int, seconds: int, headers: dict[str, str] | None = None) -> WrkResult:
    cmd = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    for k, v in (headers or {}).items():
        cmd += ["-H", f"{k}: {v}"]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, timeout=seconds + 60).stdout
    r = WrkResult()
    if m := re.search(r"Requests/sec:\s+([0-9.]+)", out):
        r.rps = float(m.group(1))
    if m := re.search(r"^\s+50%\s+(\S+)", out, re.M):
        r.p50_ms = round(_ms(m.group(1)), 2)
    if m := re.search(r"^\s+99%\s+(\S+)", out, re.M):
        r.p99_ms = round(_ms(m.group(1)), 2)
    if m := re.search(r"(\d+) requests in", out):
        r.requests = int(m.group(1))
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        r.non2xx = int(m.group(1))
        r.errors += r.non2xx
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        r.errors += sum(int(x) for x in m.groups())
    return r


def pgbench(script: Path, *, host: str, port: int, user: str, dbname: str, clients: int, seconds: int,
            simple: bool, statement_timeout_ms: int, options: str) -> tuple[float | None, str]:
    """Transactions (= replayed requests) per second, or None and pgbench's complaint.
    ``options``: the planner settings of the service's connection that ran the statements."""
    cmd = [
        str(bin_dir() / "pgbench"), "-n", "-M", "simple" if simple else "prepared", "-f", str(script),
        "-c", str(clients), "-j", str(min(2, clients)), "-T", str(seconds),
        "-h", host, "-p", str(port), "-U", user, dbname,
    ]
    env = {**os.environ, "PGOPTIONS": f"-c statement_timeout={statement_timeout_ms} {options}"}
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 120, env=env)
    m = re.search(r"tps = ([0-9.]+) \(without initial connection time\)", proc.stdout)
    failed = re.search(r"number of failed transactions: (\d+)", proc.stdout)
    if proc.returncode != 0 or not m or (failed and int(failed.group(1)) > 0):
        return None, (proc.stderr.strip() or proc.stdout.strip())[-400:]
    return float(m.group(1)), ""


# -- the run ---------------------------------------------------------------------------------


@dataclass
class Endpoint:
    name: str
    label: str
    path: str  # factdesk
    ds_path: str = ""  # Datasette
    headers: dict[str, str] = field(default_factory=dict)
    # served from the claim lists' pool (the routes with opt=GENERIC_PLANS), whose connections
    # keep one plan per statement and weigh random reads lower (service/db/engine.py
    # plan_options): pgbench replays the endpoint's SQL with the same settings, like for like
    generic_plans: bool = False


@dataclass
class Row:
    endpoint: str
    path: str
    label: str = ""
    factdesk_rps: float | None = None
    factdesk_p50_ms: float | None = None
    factdesk_p99_ms: float | None = None
    factdesk_errors: int = 0
    datasette_rps: float | None = None
    datasette_p50_ms: float | None = None
    datasette_p99_ms: float | None = None
    datasette_errors: int = 0
    raw_tps: float | None = None
    raw_note: str = ""
    statements: int = 0
    db_ms: float | None = None
    same_rows: bool | None = None
    response_bytes: int = 0
    status: int = 0

    factdesk_rss_mb: int | None = None  # peak RSS of the service's processes while this endpoint ran
    factdesk_ok_rps: float | None = None  # answered 2xx per second, at concurrency 32
    datasette_ok_rps: float | None = None

    # ratios of the requests answered successfully per second, unrounded: a target is judged on
    # the ratio itself (0.496 is not 0.5), the tables round it
    @property
    def vs_datasette(self) -> float | None:
        if not (self.factdesk_ok_rps and self.datasette_ok_rps):
            return None
        return self.factdesk_ok_rps / self.datasette_ok_rps

    @property
    def vs_raw(self) -> float | None:
        if not (self.factdesk_ok_rps and self.raw_tps):
            return None
        return self.factdesk_ok_rps / self.raw_tps


def machine() -> dict[str, Any]:
    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split("\n")[0].strip()
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "wrk": wrk_version,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def discover(base: str, pg_url: str) -> dict[str, Any]:
    """The values the mix needs: an alias, a document id, a busy event, a cursor 50 pages deep."""
    with psycopg.connect(pg_url) as conn:
        # the alias of the busiest claimant that names no other actor
        alias = conn.execute(
            """
            SELECT n.name FROM actor_names n
            JOIN (SELECT claimant_id, count(*) AS n FROM claims WHERE claimant_id IS NOT NULL
                  GROUP BY claimant_id ORDER BY n DESC LIMIT 20) top ON top.claimant_id = n.actor_id
            WHERE n.is_alias AND NOT EXISTS (SELECT 1 FROM actor_names o WHERE o.norm = n.norm AND o.actor_id <> n.actor_id)
            ORDER BY top.n DESC, n.name LIMIT 1
            """
        ).fetchone()[0]
        doc_id = conn.execute("SELECT id FROM documents ORDER BY id OFFSET (SELECT count(*) / 2 FROM documents) LIMIT 1").fetchone()[0]
        # the event with the most visible deaths figures (demo-data's busiest story)
        event = conn.execute(
            """
            SELECT e.slug, count(*) FROM claims c JOIN metrics m ON m.id = c.metric_id AND m.slug = 'deaths'
            JOIN events e ON e.id = c.event_id
            WHERE c.status IN ('unreviewed', 'accepted') GROUP BY e.id, e.slug ORDER BY count(*) DESC, e.id LIMIT 1
            """
        ).fetchone()
        version = conn.execute("SHOW server_version").fetchone()[0]
    cursor = None
    with httpx.Client(base_url=base, timeout=30) as client:
        for _ in range(DEEP_PAGES):
            params = {"metric": "arrests", **({"cursor": cursor} if cursor else {})}
            body = client.get("/claims", params=params).raise_for_status().json()
            if body["next_cursor"] is None:
                break  # fewer pages than that: the last one (Datasette's next links stop there too)
            cursor = body["next_cursor"]
    return {"alias": alias, "document_id": doc_id, "cursor": cursor, "postgres": version,
            "event": event[0] if event else None, "event_deaths": event[1] if event else 0}


def mix(found: dict[str, Any]) -> list[Endpoint]:
    alias = quote(found["alias"], safe="")
    three = {"metric": "arrests", "location": "Almaty", "group": "protesters"}
    by_event = {"event": found.get("event") or "", "metric": "deaths"}
    ds_claims = {"metric": "arrests", "status__in": VISIBLE, "_size": "100", "_shape": "objects", **DS_FLAGS}
    deep = f"/claims?metric=arrests&cursor={found['cursor']}" if found["cursor"] else "/claims?metric=arrests"
    return [
        Endpoint("claims_metric", "/claims?metric=arrests", "/claims?metric=arrests",
                 "/demo/claims.json?" + urlencode(ds_claims), generic_plans=True),
        Endpoint("claims_deep", f"/claims?metric=arrests, {DEEP_PAGES} pages deep", deep, "",  # ds_path found later
                 generic_plans=True),
        Endpoint("claims_3_filters", "/claims?metric&location&group", "/claims?" + urlencode(three),
                 "/demo/claims.json?" + urlencode({**ds_claims, "location": "Almaty", "group_name": "protesters"}),
                 generic_plans=True),
        *([Endpoint("claims_event", "/claims?event={busy}&metric=deaths", "/claims?" + urlencode(by_event),
                    "/demo/claims.json?" + urlencode({**ds_claims, "metric": "deaths", "event_slug": found["event"]}),
                    generic_plans=True)] if found.get("event") else []),
        Endpoint("actor_statements", "/actors/{alias}/statements", f"/actors/{alias}/statements",
                 "/demo/statements.json?" + urlencode({"name": found["alias"], "_shape": "objects", **DS_FLAGS}),
                 generic_plans=True),
        Endpoint("metric_summary", "/metrics/arrests", "/metrics/arrests",
                 "/demo/metric_summary.json?" + urlencode({"slug": "arrests", "_shape": "objects", **DS_FLAGS})),
        Endpoint("document", "/documents/{id}", f"/documents/{found['document_id']}",
                 f"/demo/documents/{found['document_id']}.json?" + urlencode({"_shape": "objects", **DS_FLAGS})),
        Endpoint("csv_500", "/claims?metric=arrests&limit=500 as CSV", "/claims?metric=arrests&limit=500",
                 "/demo/claims.csv?" + urlencode({**{k: v for k, v in ds_claims.items() if k != "_shape"}, "_size": "500"}),
                 {"Accept": "text/csv"}, generic_plans=True),
    ]


def ids_of(response: httpx.Response, csv: bool) -> list[int] | None:
    try:
        if csv:
            lines = response.text.strip().split("\r\n" if "\r\n" in response.text else "\n")[1:]
            return [int(line.split(",", 1)[0]) for line in lines if line and line[0].isdigit()]
        body = response.json()
        rows = body.get("items") if "items" in body else body.get("rows")
        return [int(r["id"]) for r in rows] if isinstance(rows, list) and rows and isinstance(rows[0], dict) and "id" in rows[0] else None
    except (ValueError, KeyError, TypeError):
        return None


def datasette_deep_path(ds_base: str, first: str) -> str:
    """Follow Datasette's own next links as many pages deep as factdesk's cursor."""
    path = first
    with httpx.Client(base_url=ds_base, timeout=60) as client:
        for _ in range(DEEP_PAGES):
            body = client.get(path).raise_for_status().json()
            if not body.get("next"):
                break
            sep = "&" if "?" in first else "?"
            path = f"{first}{sep}_next={quote(str(body['next']), safe='')}"
    return path


def capture_sql(pg_url: str, log_path: Path, base: str, endpoints: list[Endpoint]) -> dict[str, capture.Captured]:
    """Replay one request per endpoint with statement logging on; the statements it ran."""
    offset = log_path.stat().st_size
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("SET application_name = 'fdbench'")
        for name, value in capture.capture_settings():
            conn.execute(f"ALTER SYSTEM SET {name} = '{value}'")
        conn.execute("SELECT pg_reload_conf()")
        time.sleep(1.0)  # every backend reads the new settings before its next statement
        try:
            with httpx.Client(base_url=base, timeout=60) as client:
                for e in endpoints:
                    for _ in range(6):  # warm every worker's connections and name memory, as under load
                        client.get(e.path, headers=e.headers)
                    conn.execute(f"SELECT '{capture.MARK.format(which='begin', name=e.name)}'")
                    client.get(e.path, headers=e.headers)
                    time.sleep(0.3)  # the connection goes back to the pool (ROLLBACK) after the response
                    conn.execute(f"SELECT '{capture.MARK.format(which='end', name=e.name)}'")
        finally:
            for name, _ in capture.capture_settings():
                conn.execute(f"ALTER SYSTEM RESET {name}")
            conn.execute("SELECT pg_reload_conf()")
    time.sleep(0.5)
    return capture.parse(capture.read_from(log_path, offset), [e.name for e in endpoints])


def check_statements(pg_url: str, captured: capture.Captured, timeout_ms: int) -> str:
    """Run the captured script once; an error message if it does not run as plain SQL."""
    try:
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute(f"SET statement_timeout = {timeout_ms}")
            for s in captured.statements:
                conn.execute(capture.replayable(s.sql).encode())
    except psycopg.Error as exc:
        return f"{type(exc).__name__}: {str(exc).strip()[:200]}"
    return ""


def fmt(v: float | None, digits: int = 0) -> str:
    if v is None:
        return "—"
    if digits == 0 and abs(v) < 10:
        digits = 1
    return f"{v:,.{digits}f}"


def render(result: dict[str, Any]) -> str:
    rows = result["rows"]
    lines = [
        f"# factdesk benchmark — {result['claims']:,} claims, {result['date']}",
        "",
        f"Machine: {result['machine']['nproc']} cores ({result['machine']['cpu']}), "
        f"{result['machine']['memory_gb']} GB, PostgreSQL {result['postgres']}, Python {result['machine']['python']}, "
        f"{result['machine']['wrk']}; load average at start {result['machine']['load_average_at_start']}. "
        f"factdesk: {result['workers']} workers; everything (PostgreSQL, factdesk, Datasette, wrk, pgbench) on this one machine.",
        "",
        "req/s at concurrency 32; p50/p99 in ms at concurrency 4 (wrk). raw SQL = pgbench replaying the statements "
        "the request ran (captured from PostgreSQL's log), transactions/s at concurrency 32. \"(n errors)\": non-2xx "
        "answers and timeouts over both runs; the ratios use the requests answered successfully per second. "
        "Peak RSS: master + workers, while that endpoint ran.",
        "",
        "| endpoint | factdesk req/s | Datasette req/s | raw SQL tps | factdesk ÷ Datasette | factdesk ÷ raw | "
        "factdesk p50 / p99 | Datasette p50 / p99 | SQL per request | factdesk peak RSS | same rows |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|",
    ]
    for r in rows:
        err = f" ({r['factdesk_errors']} errors)" if r["factdesk_errors"] else ""
        ds_err = f" ({r['datasette_errors']} errors)" if r["datasette_errors"] else ""
        raw = fmt(r["raw_tps"]) if r["raw_tps"] is not None else (f"— ({r['raw_note'][:40]})" if r["raw_note"] else "—")
        lines.append(
            f"| {r['label']} | {fmt(r['factdesk_rps'])}{err} | {fmt(r['datasette_rps'])}{ds_err} | {raw} | "
            f"{fmt(r['vs_datasette'], 2)} | {fmt(r['vs_raw'], 2)} | "
            f"{fmt(r['factdesk_p50_ms'], 1)} / {fmt(r['factdesk_p99_ms'], 1)} | "
            f"{fmt(r['datasette_p50_ms'], 1)} / {fmt(r['datasette_p99_ms'], 1)} | "
            f"{r['statements']} stmts, {fmt(r['db_ms'], 1)} ms | {fmt(r['factdesk_rss_mb'])} MB | "
            f"{'yes' if r['same_rows'] else ('no' if r['same_rows'] is False else '—')} |"
        )
    mem, cold = result["memory"], result["cold_start"]
    lines += [
        "",
        f"- Peak RSS under load: {fmt(mem['peak_total_mb'], 0)} MB for {mem['processes']} processes "
        f"(master + {result['workers']} workers); largest process {fmt(mem['peak_one_mb'], 0)} MB "
        f"(target < {TARGETS['rss_mb_per_worker']:.0f} MB per worker).",
        f"- Cold start (`factdesk serve`, fresh FACTDESK_HOME: initdb, migrate, seeds, first 200 from /readyz): "
        f"{fmt(cold.get('fresh_s'), 2)} s with compiled bytecode (as the Docker image ships it; "
        f"{fmt(cold.get('first_s'), 2)} s on the very first start, which compiles it); restart on the same home "
        f"{fmt(cold.get('warm_s'), 2)} s (target < {TARGETS['cold_start_s']:.0f} s).",
        f"- Data: `factdesk demo-data --claims {result['claims']}` loaded in {fmt(result['load_s'], 1)} s; "
        f"database {result['database_mb']:,} MB.",
        "",
        "Targets (issue 6) for `/claims?metric=`: ≥ 3× Datasette, ≥ 0.5× raw SQL; p99 < 20 ms at c=4 on every "
        "endpoint at 1M claims.",
        "",
        "| target | measured | met |",
        "|---|---:|:---:|",
    ]
    for t in result["targets"]:
        lines.append(f"| {t['what']} | {t['measured']} | {'yes' if t['met'] else 'no'} |")
    if result.get("notes"):
        lines += ["", *[f"- {n}" for n in result["notes"]]]
    return "\n".join(lines) + "\n"


def targets(result: dict[str, Any]) -> list[dict[str, Any]]:
    by = {r["endpoint"]: r for r in result["rows"]}
    main = by.get("claims_metric", {})
    out = [
        {"what": "/claims?metric= ÷ Datasette ≥ 3", "measured": fmt(main.get("vs_datasette"), 3),
         "met": bool(main.get("vs_datasette") and main["vs_datasette"] >= TARGETS["vs_datasette"])},
        {"what": "/claims?metric= ÷ raw SQL ≥ 0.5", "measured": fmt(main.get("vs_raw"), 3),
         "met": bool(main.get("vs_raw") and main["vs_raw"] >= TARGETS["vs_raw"])},
    ]
    worst = max(result["rows"], key=lambda r: r["factdesk_p99_ms"] if r["factdesk_p99_ms"] is not None else float("inf"))
    out.append({"what": "p99 < 20 ms at c=4, every endpoint", "measured": f"worst {fmt(worst['factdesk_p99_ms'], 1)} ms ({worst['label']})",
                "met": all(r["factdesk_p99_ms"] is not None and r["factdesk_p99_ms"] < TARGETS["p99_ms"] and not r["factdesk_errors"] for r in result["rows"])})
    per_worker = result["memory"]["peak_one_mb"]
    out.append({"what": "peak RSS < 200 MB per worker", "measured": f"{fmt(per_worker)} MB",
                "met": bool(per_worker and per_worker < TARGETS["rss_mb_per_worker"])})
    cold = result["cold_start"].get("fresh_s")
    out.append({"what": "cold start < 5 s", "measured": f"{fmt(cold, 2)} s", "met": bool(cold and cold < TARGETS["cold_start_s"])})
    return out


def cold_start(tmp: Path, servers: Servers) -> dict[str, float | None]:
    """``factdesk serve`` with nothing but a fresh FACTDESK_HOME, as a new user runs it: initdb,
    PostgreSQL, migrations, seeds, the worker, to the first 200 from /readyz.

    Python's bytecode goes to a cache of this run's own (PYTHONPYCACHEPREFIX), as the Docker
    image compiles it at build time: the first start (which compiles it) is reported apart from
    a start with a fresh home and compiled bytecode, and from a restart on the same home."""
    port = free_port()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("FACTDESK_") and k not in ("DATABASE_URL", "PYTHONDONTWRITEBYTECODE")}
    env.update(FACTDESK_PORT=str(port), FACTDESK_LOG_LEVEL="warning", PYTHONPYCACHEPREFIX=str(tmp / "pycache"))
    out: dict[str, float | None] = {}
    for key, home in (("first_s", "cold-1"), ("fresh_s", "cold-2"), ("warm_s", "cold-2")):
        log = tmp / f"cold-{key}.log"
        started = time.monotonic()
        proc = servers.start("cold", [FACTDESK, "serve", "--no-access-log"], {**env, "FACTDESK_HOME": str(tmp / home)}, log)
        try:
            wait_http(f"http://127.0.0.1:{port}/readyz", proc, 120, log)
            out[key] = round(time.monotonic() - started, 2)
        finally:
            servers.stop(proc)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="bench/run", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--claims", type=int, default=1_000_000, help="claims to load (default 1,000,000)")
    ap.add_argument("--seed", type=int, default=1, help="demo-data seed (default 1)")
    ap.add_argument("--database-url", default=None,
                    help="use this PostgreSQL server (a new database is created and dropped) instead of an embedded one")
    ap.add_argument("--server-log", type=Path, default=None,
                    help="with --database-url: that server's log file, to capture the SQL (else the raw SQL column is empty)")
    ap.add_argument("--seconds", type=int, default=None, help="seconds per wrk/pgbench run (default 10 at ≥ 1M claims, else 5)")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="factdesk workers (default nproc)")
    ap.add_argument("--no-peer", action="store_true", help="skip Datasette")
    ap.add_argument("--output", type=Path, default=ROOT / "bench" / "results", help="where results go")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder (database, logs)")
    args = ap.parse_args(argv)
    seconds = args.seconds or (10 if args.claims >= 1_000_000 else 5)
    started = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix="fdbench-"))
    os.chmod(tmp, 0o755)
    servers = Servers()
    embedded: EmbeddedPostgres | None = None
    external_db: tuple[str, str] | None = None
    notes: list[str] = []
    say(f"working in {tmp}")

    def on_signal(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    try:
        # 1. a fresh database -------------------------------------------------------------
        if args.database_url:
            name = f"fdbench_{uuid.uuid4().hex[:8]}"
            admin = plain(args.database_url)
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
            from sqlalchemy.engine import make_url

            url = make_url(normalize_database_url(args.database_url)).set(database=name).render_as_string(hide_password=False)
            external_db = (admin, name)
            log_path = args.server_log
        else:
            embedded = EmbeddedPostgres(tmp / "home")
            embedded.start()
            embedded.ensure_database()
            url = embedded.url()
            log_path = embedded.logfile
        pg_url = plain(url)
        env = {k: v for k, v in os.environ.items() if not k.startswith("FACTDESK_")}
        env.update(DATABASE_URL=url, FACTDESK_LOG_LEVEL="warning")
        subprocess.run([FACTDESK, "migrate"], env=env, check=True, timeout=300, cwd=ROOT, stdout=subprocess.DEVNULL)
        say(f"loading {args.claims:,} claims (factdesk demo-data)")
        t = time.monotonic()
        subprocess.run([FACTDESK, "demo-data", "--claims", str(args.claims), "--seed", str(args.seed)],
                       env=env, check=True, timeout=max(1200, args.claims // 2000), cwd=ROOT)
        load_s = round(time.monotonic() - t, 1)
        with psycopg.connect(pg_url, autocommit=True) as conn:
            database_mb = conn.execute("SELECT pg_database_size(current_database()) / 1048576").fetchone()[0]
            # The load leaves ~1.4 GB of dirty pages per million claims for the checkpointer; written
            # out during the runs, they showed as p99 spikes on whichever endpoint ran then. The
            # measured work starts from a settled database, as a service's steady state does.
            say("checkpoint after the load")
            try:
                conn.execute("CHECKPOINT")
            except psycopg.Error as e:  # a role without pg_checkpoint on --database-url's server
                say(f"no checkpoint after the load ({e.diag.message_primary})")

        # 2. serve as production does -------------------------------------------------------
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        serve_log = tmp / "serve.log"
        serve = servers.start("factdesk", [FACTDESK, "serve", "--workers", str(args.workers), "--no-access-log",
                                           "--no-seed", "--port", str(port)], env, serve_log)
        wait_http(f"{base}/readyz", serve, 120, serve_log)
        found = discover(base, pg_url)
        endpoints = mix(found)
        say(f"mix: alias {found['alias']!r}, document {found['document_id']}, event {found['event']!r} "
            f"({found['event_deaths']:,} deaths figures), cursor {found['cursor']}")
        rows: dict[str, Row] = {}
        ids: dict[str, list[int] | None] = {}
        with httpx.Client(base_url=base, timeout=60) as client:
            for e in endpoints:
                r = client.get(e.path, headers=e.headers)
                rows[e.name] = Row(e.name, e.path, e.label, status=r.status_code, response_bytes=len(r.content))
                ids[e.name] = ids_of(r, e.name == "csv_500")
                if r.status_code != 200:
                    notes.append(f"{e.label}: factdesk answered {r.status_code} before the load ({r.text[:160]})")
        # 3. wrk --------------------------------------------------------------------------
        sampler = RssSampler(serve.pid)
        with sampler:
            for e in endpoints:
                say(f"factdesk {e.label}")
                with RssSampler(serve.pid) as this:
                    wrk(base + e.path, connections=8, seconds=2, headers=e.headers)  # warm-up
                    settle(f"{base}/documents/1")
                    hot = wrk(base + e.path, connections=32, seconds=seconds, headers=e.headers)
                    settle(f"{base}/documents/1")
                    cool = wrk(base + e.path, connections=4, seconds=seconds, headers=e.headers)
                    settle(f"{base}/documents/1")
                row = rows[e.name]
                row.factdesk_rss_mb = round(this.peak_total / 2**20)
                row.factdesk_rps, row.factdesk_errors = hot.rps, hot.errors + cool.errors
                row.factdesk_ok_rps = hot.ok_rps
                row.factdesk_p50_ms, row.factdesk_p99_ms = cool.p50_ms, cool.p99_ms
        memory = {"peak_total_mb": round(sampler.peak_total / 2**20), "peak_one_mb": round(sampler.peak_one / 2**20),
                  "processes": sampler.processes}

        # 4. the raw limit ----------------------------------------------------------------
        if log_path and log_path.exists():
            say("capturing the SQL each request runs")
            captured = capture_sql(pg_url, log_path, base, endpoints)
            host, pgport = _host_port(pg_url)
            user = psycopg.conninfo.conninfo_to_dict(pg_url).get("user") or "postgres"
            dbname = psycopg.conninfo.conninfo_to_dict(pg_url).get("dbname") or "factdesk"
            sqldir = tmp / "sql"
            sqldir.mkdir()
            servers.stop(serve)  # the raw limit gets the machine to itself, as factdesk did
            for e in endpoints:
                row = rows[e.name]
                cap = captured.get(e.name)
                if not cap or not cap.statements:
                    row.raw_note = "nothing captured"
                    continue
                row.statements, row.db_ms = len(cap.statements), round(cap.db_ms, 2)
                script = sqldir / f"{e.name}.sql"
                script.write_text(cap.pgbench_script())
                problem = check_statements(pg_url, cap, 5000)
                if problem:
                    row.raw_note = problem
                    continue
                say(f"pgbench {e.label} ({len(cap.statements)} statements)")
                tps, complaint = pgbench(script, host=host, port=pgport, user=user, dbname=dbname, clients=32,
                                         seconds=seconds, simple=cap.needs_simple_protocol(), statement_timeout_ms=5000,
                                         options=plan_options(e.generic_plans))
                row.raw_tps, row.raw_note = (round(tps, 1) if tps else None), complaint
            if args.keep:
                say(f"captured SQL in {sqldir}")
        else:
            servers.stop(serve)
            notes.append("raw SQL not measured: no server log to capture statements from (use --server-log)")

        # 5. the peer -----------------------------------------------------------------------
        if not args.no_peer:
            say("exporting the claims to SQLite for Datasette")
            db_file = tmp / "demo.db"
            export_s = peer.export(pg_url, db_file)
            exe = peer.install(Path(tempfile.gettempdir()) / "factdesk-bench-datasette")
            version = subprocess.run([str(exe), "--version"], capture_output=True, text=True, timeout=60).stdout.strip()
            meta = tmp / "metadata.json"
            peer.write_metadata(meta)
            ds_port = free_port()
            ds_base = f"http://127.0.0.1:{ds_port}"
            ds_log = tmp / "datasette.log"
            ds = servers.start("datasette", peer.serve_command(exe, db_file, meta, ds_port), dict(os.environ), ds_log)
            wait_http(f"{ds_base}/-/versions.json", ds, 120, ds_log)
            first = next(e for e in endpoints if e.name == "claims_metric").ds_path
            next(e for e in endpoints if e.name == "claims_deep").ds_path = datasette_deep_path(ds_base, first)
            notes.append(f"peer: {version} (one process, as `datasette serve -i` runs), SQLite {_sqlite_version()}; "
                         f"export {export_s['rows_s']} s + indexes {export_s['indexes_s']} s")
            with httpx.Client(timeout=60) as client:
                for e in endpoints:
                    theirs = client.get(ds_base + e.ds_path)
                    if theirs.status_code != 200:
                        notes.append(f"{e.label}: Datasette answered {theirs.status_code}: {theirs.text[:160]}")
                    mine, other = ids.get(e.name), ids_of(theirs, e.name == "csv_500")
                    if mine and other is not None:  # the same claims, in the same order
                        rows[e.name].same_rows = mine == other[: len(mine)]
            ds_cmd = peer.serve_command(exe, db_file, meta, ds_port)

            def ds_ready() -> None:
                """Datasette runs its queries in 3 threads: a slow query's backlog can outlast a
                run; then it is restarted so that the next run starts clean."""
                nonlocal ds
                if not settle(f"{ds_base}/demo/documents/1.json", 30):
                    servers.stop(ds)
                    ds = servers.start("datasette", ds_cmd, dict(os.environ), ds_log)
                    wait_http(f"{ds_base}/-/versions.json", ds, 120, ds_log)

            for e in endpoints:
                say(f"datasette {e.label}")
                wrk(ds_base + e.ds_path, connections=8, seconds=2)
                ds_ready()
                hot = wrk(ds_base + e.ds_path, connections=32, seconds=seconds)
                ds_ready()
                cool = wrk(ds_base + e.ds_path, connections=4, seconds=seconds)
                ds_ready()
                row = rows[e.name]
                row.datasette_rps, row.datasette_errors = hot.rps, hot.errors + cool.errors
                row.datasette_ok_rps = hot.ok_rps
                row.datasette_p50_ms, row.datasette_p99_ms = cool.p50_ms, cool.p99_ms
            servers.stop(ds)

        # 6. cold start ----------------------------------------------------------------------
        say("cold start")
        cold = cold_start(tmp, servers)

        # 7. the table ----------------------------------------------------------------------
        result = {
            "date": dt.date.today().isoformat(),
            "claims": args.claims,
            "seed": args.seed,
            "seconds_per_run": seconds,
            "workers": args.workers,
            "postgres": found["postgres"],
            "machine": machine(),
            "load_s": load_s,
            "database_mb": database_mb,
            "memory": memory,
            "cold_start": cold,
            "mix": {"alias": found["alias"], "document_id": found["document_id"], "deep_cursor": found["cursor"],
                    "event": found["event"], "event_deaths": found["event_deaths"]},
            "rows": [
                {**asdict(r), "vs_datasette": r.vs_datasette, "vs_raw": r.vs_raw}
                for r in rows.values()
            ],
            "notes": notes,
            "total_s": round(time.monotonic() - started),
        }
        result["targets"] = targets(result)
        table = render(result)
        print(table)
        args.output.mkdir(parents=True, exist_ok=True)
        stem = args.output / f"{result['date']}-{_claims_label(args.claims)}"
        stem.with_suffix(".md").write_text(table)
        stem.with_suffix(".json").write_text(json.dumps(result, indent=2, default=str) + "\n")
        say(f"wrote {stem}.md and .json in {result['total_s']} s")
        return 0
    finally:
        servers.stop_all()
        if embedded is not None:
            embedded.stop()
        if external_db is not None:
            with contextlib.suppress(psycopg.Error), psycopg.connect(external_db[0], autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{external_db[1]}" WITH (FORCE)')
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


def _host_port(pg_url: str) -> tuple[str, int]:
    info = psycopg.conninfo.conninfo_to_dict(pg_url)
    return str(info.get("host") or "127.0.0.1"), int(info.get("port") or 5432)


def _sqlite_version() -> str:
    import sqlite3

    return sqlite3.sqlite_version


def _claims_label(n: int) -> str:
    if n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n % 1_000 == 0:
        return f"{n // 1_000}k"
    return str(n)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        say("interrupted; servers stopped")
        sys.exit(130)
