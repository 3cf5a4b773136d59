"""``factdesk ingest FILE`` and ``factdesk ingest FOLDER``: archive an article and print its
claims, or every article in a folder, with a progress bar and a summary. Each file goes through :func:`service.documents.ingest.ingest_document` (the code
behind POST /documents) in its own transaction, so a bad file is reported and skipped and the
others are kept.

Metadata comes from ``manifest.json`` in the folder when it lists the file (the shape of
``seeds/manifest.json``: ``{"documents": [{"file", "title", "outlet", "published", "url",
"language", "original_language", …}]}``, ``file`` relative to the folder), otherwise from the
command's options, with the file's first line as the title.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any, TextIO

import msgspec

from service.cli_common import database, prepare, run_async
from service.partial_dates import parse_partial
from service.settings import Settings

SUFFIXES = (".txt", ".md")
# manifest fields that become the document's metadata; others (key, note, …) are ignored
META_FIELDS = ("title", "outlet", "url", "published", "language", "original_language")


class Job(msgspec.Struct):
    name: str  # the file, relative to the folder
    path: Path
    meta: dict[str, Any]  # from the manifest, if it lists the file


class Outcome(msgspec.Struct):
    name: str
    state: str  # "new" | "archived" | "failed"
    reason: str = ""
    document_id: int | None = None
    figures: int = 0
    statements: int = 0


def read_manifest(folder: Path) -> dict[Path, dict[str, Any]]:
    """File (resolved) → its manifest entry. Raises ValueError for a manifest that cannot be read."""
    path = folder / "manifest.json"
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ValueError(f"{path}: {exc}") from None
    entries = data.get("documents") if isinstance(data, dict) else data
    if not isinstance(entries, list) or not all(isinstance(e, dict) and isinstance(e.get("file"), str) for e in entries):
        raise ValueError(f'{path}: expected {{"documents": [{{"file": …, "title": …, "published": …}}, …]}}')
    return {(folder / e["file"]).resolve(): e for e in entries}


def find_jobs(folder: Path) -> list[Job]:
    """Every *.txt / *.md in the folder but a README (the folder's own notes, not an article),
    and every file the manifest lists, sorted by name."""
    manifest = read_manifest(folder)
    paths = {
        p.resolve() for p in folder.iterdir()
        if p.is_file() and p.suffix.lower() in SUFFIXES and p.stem.lower() != "readme"
    }
    paths |= set(manifest)
    jobs = []
    for p in paths:
        try:
            name = str(p.relative_to(folder.resolve()))
        except ValueError:
            name = str(p)
        jobs.append(Job(name=name, path=p, meta={k: manifest[p][k] for k in META_FIELDS if k in manifest.get(p, {})}))
    return sorted(jobs, key=lambda j: j.name)


def first_line(text: str, default: str) -> str:
    line = next((line.strip() for line in text.splitlines() if line.strip()), default)
    return line.lstrip("# ").strip()[:1000] or default  # a Markdown heading's marks are not the title


def document_body(job: Job, args: argparse.Namespace) -> Any:
    """The DocumentCreate for a file; ValueError says why there is none."""
    from service.documents.ingest import DocumentCreate

    try:
        with open(job.path, encoding="utf-8", newline="") as f:
            text = f.read()
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise ValueError(f"cannot read it: {exc.strerror or exc}") from None
    if not text.strip():
        raise ValueError("the file is empty")
    raw: dict[str, Any] = {
        "title": first_line(text, job.path.stem), "outlet": args.outlet, "url": None,
        "language": args.language, "published": args.published,
    }
    raw.update(job.meta)
    raw["text"] = text
    if raw["published"] is None:
        raise ValueError("no publication date: list the file in manifest.json or give --published")
    raw["published"] = str(raw["published"])
    try:
        return msgspec.convert(raw, DocumentCreate)
    except msgspec.ValidationError as exc:
        raise ValueError(str(exc)) from None


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    """One file: archived, and its claims printed; a folder: :func:`ingest_folder`."""
    from service.claims.queries import get_claims
    from service.documents.ingest import DocumentCreate, ingest_document

    if os.path.isdir(args.file):
        return ingest_folder(Path(args.file), args, settings)
    if args.published is None:
        print("factdesk ingest: --published YYYY-MM-DD (or YYYY-MM, YYYY) is required for a single file", file=sys.stderr)
        return 2
    try:
        with open(args.file, encoding="utf-8", newline="") as f:
            body_text = f.read()
    except (OSError, UnicodeDecodeError) as exc:
        print(f"factdesk ingest: cannot read {args.file}: {exc}", file=sys.stderr)
        return 2
    title = args.title or next((line.strip() for line in body_text.splitlines() if line.strip()), args.file)[:1000]
    try:
        parse_partial(args.published)
    except ValueError as exc:
        print(f"factdesk ingest: --published: {exc}", file=sys.stderr)
        return 2
    try:
        body = msgspec.convert(
            {
                "title": title, "outlet": args.outlet, "url": args.url, "language": args.language,
                "published": args.published.strip(), "text": body_text,
            },
            DocumentCreate,
        )
    except (ValueError, msgspec.ValidationError) as exc:
        print(f"factdesk ingest: {exc}", file=sys.stderr)
        return 2

    with database(settings, quiet=True) as url:
        prepare(url, settings, seed=True)  # an empty database gets the metric vocabulary first

        async def run(conn):  # type: ignore[no-untyped-def]
            async with conn.begin():
                doc_id, created, ids = await ingest_document(conn, body, api_key_id=None)
            return doc_id, created, await get_claims(conn, ids)

        from service.errors import ProblemError

        try:
            doc_id, created, claims = run_async(url, settings, run)
        except ProblemError as exc:
            print(f"factdesk ingest: {exc.detail}", file=sys.stderr)
            return 1
    figures = [c for c in claims if c.metric]
    print(
        f"document {doc_id} ({'new' if created else 'already archived: nothing added'}): "
        f"{len(figures)} figures, {len(claims) - len(figures)} statements"
    )
    for c in claims:
        who = c.claimant.name if c.claimant else "(no named source)"
        chain = f" via {', '.join(c.via)}" if c.via else ""
        what = f"{c.metric:<14} {c.value.text:<20}" if c.metric and c.value else f"{'statement':<14} {'':<20}"
        scope = " ".join(x for x in (c.group, c.location, str(c.as_of or "")) if x)
        print(f"  #{c.id:<6} {what} {c.confidence:.2f}  {who}{chain}  {scope}")
    return 0


class Progress:
    """A bar redrawn in place on a terminal; one line per file otherwise."""

    def __init__(self, total: int, stream: TextIO = sys.stderr) -> None:
        self.total = total
        self.stream = stream
        self.tty = stream.isatty()
        self.started = time.monotonic()

    def start(self, done: int, name: str) -> None:
        if self.tty:
            filled = 30 * done // max(self.total, 1)
            line = f"ingest [{'#' * filled}{'.' * (30 - filled)}] {done}/{self.total} {name}"
            self.stream.write("\r\x1b[2K" + line[:150])
            self.stream.flush()

    def finish(self, done: int, outcome: Outcome) -> None:
        if self.tty:
            if outcome.state == "failed":  # keep failures visible above the bar
                self.stream.write(f"\r\x1b[2Kingest: {outcome.name}: failed: {outcome.reason}\n")
            if done == self.total:
                self.stream.write(f"\r\x1b[2Kingest [{'#' * 30}] {done}/{self.total} in {time.monotonic() - self.started:.1f}s\n")
            self.stream.flush()
            return
        if outcome.state == "failed":
            what = f"failed: {outcome.reason}"
        else:
            state = "new" if outcome.state == "new" else "already archived"
            what = f"document {outcome.document_id} ({state}): {outcome.figures} figures, {outcome.statements} statements"
        self.stream.write(f"ingest {done}/{self.total} {outcome.name}: {what}\n")
        self.stream.flush()


def ingest_folder(folder: Path, args: argparse.Namespace, settings: Settings) -> int:
    if args.title or args.url:
        print("factdesk ingest: --title and --url name one article; for a folder, use its manifest.json "
              "(each file's title is otherwise its first line)", file=sys.stderr)
        return 2
    if args.published is not None:
        try:
            parse_partial(args.published)
        except ValueError as exc:
            print(f"factdesk ingest: --published: {exc}", file=sys.stderr)
            return 2
    try:
        jobs = find_jobs(folder)
    except (OSError, ValueError) as exc:
        print(f"factdesk ingest: {exc}", file=sys.stderr)
        return 2
    if not jobs:
        print(f"factdesk ingest: no *.txt or *.md files in {folder}", file=sys.stderr)
        return 2

    progress = Progress(len(jobs))
    outcomes: list[Outcome] = []
    metrics: Counter[str] = Counter()
    claimants: Counter[str] = Counter()

    async def run(conn: Any) -> None:
        from service.claims.queries import get_claims
        from service.documents.ingest import ingest_document
        from sqlalchemy.exc import SQLAlchemyError

        from service.errors import ProblemError

        for n, job in enumerate(jobs, 1):
            progress.start(n - 1, job.name)
            try:
                body = document_body(job, args)
                async with conn.begin():
                    doc_id, created, ids = await ingest_document(conn, body, api_key_id=None)
                claims = await get_claims(conn, ids)
                figures = [c for c in claims if c.metric]
                outcome = Outcome(job.name, "new" if created else "archived", document_id=doc_id,
                                  figures=len(figures), statements=len(claims) - len(figures))
                if created:
                    metrics.update(c.metric for c in figures if c.metric)
                    claimants.update(c.claimant.name if c.claimant else "(no named source)" for c in claims)
            except ValueError as exc:
                outcome = Outcome(job.name, "failed", reason=str(exc))
            except ProblemError as exc:
                outcome = Outcome(job.name, "failed", reason=exc.detail)
            except SQLAlchemyError as exc:  # the database refused this one; try the next
                outcome = Outcome(job.name, "failed", reason=str(getattr(exc, "orig", None) or exc).splitlines()[0])
            if conn.in_transaction():
                await conn.rollback()
            outcomes.append(outcome)
            progress.finish(n, outcome)

    with database(settings, quiet=True) as url:
        prepare(url, settings, seed=True)  # an empty database gets the metric vocabulary first
        run_async(url, settings, run)

    print(summary(outcomes, metrics, claimants), end="")
    return 1 if any(o.state == "failed" for o in outcomes) else 0


def summary(outcomes: list[Outcome], metrics: Counter[str], claimants: Counter[str]) -> str:
    count = Counter(o.state for o in outcomes)
    new = [o for o in outcomes if o.state == "new"]
    lines = [
        f"{len(outcomes)} files: {count['new']} new documents, {count['archived']} already archived, {count['failed']} failed"
    ]
    lines += [f"  failed: {o.name}: {o.reason}" for o in outcomes if o.state == "failed"]
    figures = sum(o.figures for o in new)
    statements = sum(o.statements for o in new)
    lines.append(f"claims extracted from the new documents: {figures} figures, {statements} statements")
    if metrics:
        lines.append("  by metric: " + ", ".join(f"{m} {n}" for m, n in sorted(metrics.items(), key=lambda x: (-x[1], x[0]))))
    if claimants:
        top = sorted(claimants.items(), key=lambda x: (-x[1], x[0]))[:5]
        lines.append("  top claimants: " + ", ".join(f"{name} {n}" for name, n in top))
    return "\n".join(lines) + "\n"
