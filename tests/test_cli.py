"""The factdesk command: help, keys (stored hashed, revocable), seed, openapi, the read commands
(claims, actors, documents) and ingesting a folder."""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
from collections import Counter

import httpx
import psycopg

from service.openapi import COMMITTED
from tests.conftest import _plain, cli_env, problem, run_cli
from tests.seeddata import ACTORS, CLAIMS, MANIFEST


def test_help_lists_every_command_with_a_description() -> None:
    result = run_cli("--help", env=cli_env())
    assert result.returncode == 0
    # argparse puts a long command's description on the next line: "    demo-data\n      add …"
    described = re.findall(r"^    ([a-z-]+)\s+(\S.*)$", result.stdout, re.MULTILINE)
    for command in ("serve", "migrate", "seed", "keys", "ingest", "claims", "actors", "documents", "backup", "demo-data", "openapi"):
        description = dict(described)[command]
        assert len(description) > 10, (command, description)
    keys = run_cli("keys", "--help", env=cli_env())
    for action in ("create", "list", "revoke"):
        assert action in keys.stdout


def test_key_lifecycle_create_list_use_revoke(writable) -> None:
    env = cli_env(DATABASE_URL=writable.db_url)
    name = f"desk-{uuid.uuid4().hex[:6]}"
    created = run_cli("keys", "create", name, env=env)
    assert created.returncode == 0, created.stderr
    key = created.stdout.strip().splitlines()[-1]
    assert key.startswith("fd_") and len(key) >= 40

    with psycopg.connect(_plain(writable.db_url)) as conn:
        stored = conn.execute("SELECT key_hash FROM api_keys WHERE name = %s", (name,)).fetchone()[0]
        assert key.encode() not in bytes(stored)
        dump = conn.execute("SELECT string_agg(row_to_json(k)::text, '') FROM api_keys k").fetchone()[0]
        assert key not in dump

    doc = httpx.get(f"{writable.base}/documents").json()["items"][0]
    body = {"document_id": doc["id"], "quote": "As night fell, the shooting stopped again.", "group": name}
    r = httpx.post(f"{writable.base}/claims", json=body, headers={"Authorization": f"Bearer {key}"})
    assert r.status_code == 201, r.text

    listed = run_cli("keys", "list", env=env)
    line = next(l for l in listed.stdout.splitlines() if l.startswith(name))
    assert key not in listed.stdout and key[8:20] not in listed.stdout
    assert line.split()[-1] == "-"  # not revoked
    assert "-" != line.split()[3]  # last used is recorded

    revoked = run_cli("keys", "revoke", name, env=env)
    assert revoked.returncode == 0
    body["group"] = name + " again"
    problem(httpx.post(f"{writable.base}/claims", json=body, headers={"Authorization": f"Bearer {key}"}), 401)
    assert run_cli("keys", "revoke", name, env=env).returncode == 1
    assert run_cli("keys", "create", name, env=env).returncode == 1  # names are unique


def test_bad_key_names_and_revisions_are_one_line_errors(writable) -> None:
    env = cli_env(DATABASE_URL=writable.db_url)
    for name in ("", "   ", "x" * 101):
        r = run_cli("keys", "create", name, env=env)
        assert r.returncode == 2 and "key name" in r.stderr and "Traceback" not in r.stderr, r.stderr
    r = run_cli("migrate", "nosuchrev", env=env)
    assert r.returncode == 2 and "nosuchrev" in r.stderr and "Traceback" not in r.stderr, r.stderr


def test_seed_command_is_idempotent(pg) -> None:
    env = cli_env(DATABASE_URL=pg.create_database())
    first = run_cli("seed", env=env)
    assert first.returncode == 0, first.stderr
    assert f"{len(CLAIMS)} claims ({len(CLAIMS)} new)" in first.stdout
    second = run_cli("seed", env=env)
    assert second.returncode == 0 and "(0 new)" in second.stdout


def test_openapi_command_writes_the_committed_document(tmp_path) -> None:
    out = tmp_path / "openapi.json"
    result = run_cli("openapi", "--output", str(out), env=cli_env())
    assert result.returncode == 0, result.stderr
    assert out.read_text() == COMMITTED.read_text()


def test_restore_refuses_a_file_that_is_not_a_backup_and_changes_nothing(pg, tmp_path) -> None:
    url = pg.create_database()
    env = cli_env(DATABASE_URL=url)
    assert run_cli("seed", env=env).returncode == 0
    junk = tmp_path / "junk.dump"
    junk.write_bytes(b"this is not a pg_dump archive")
    result = run_cli("restore", str(junk), env=env)
    assert result.returncode == 1 and "not a factdesk backup" in result.stderr
    assert run_cli("restore", str(tmp_path / "missing.dump"), env=env).returncode == 2
    with psycopg.connect(_plain(url)) as conn:
        assert conn.execute("SELECT count(*) FROM claims").fetchone()[0] == len(CLAIMS)


# -- factdesk claims / actors / documents: a table from the database or from a server ----------


def _table_rows(stdout: str) -> list[list[str]]:
    lines = stdout.splitlines()
    return [line.split("  ") for line in lines[1:]]


def test_claims_table_is_the_same_from_the_database_and_from_the_server(db_url, server) -> None:
    db = cli_env(DATABASE_URL=db_url)
    from_db = run_cli("claims", "--metric", "arrests", env=db)
    from_server = run_cli("claims", "--metric", "arrests", "--server", server, env=cli_env())
    assert from_db.returncode == 0, from_db.stderr
    assert from_server.returncode == 0, from_server.stderr
    assert from_db.stdout == from_server.stdout
    header, *rows = from_db.stdout.splitlines()
    assert header.split() == ["id", "metric", "value", "range", "claimant", "via", "as_of", "outlet", "quote"]
    assert len(rows) == sum(1 for c in CLAIMS if c.get("metric") == "arrests")
    assert all(len(line) <= 160 for line in from_db.stdout.splitlines())  # the width when not a terminal
    assert any("2,298" in r and "Orda.kz" in r for r in rows)
    assert any("more than 3,000" in r and ">3,000" in r for r in rows)
    # ids are right-aligned: the column ends where the header's does
    assert {len(r.split()[0]) + r.index(r.split()[0]) for r in rows} == {header.index("id") + 2}

    # env FACTDESK_URL works like --server; filters and formats agree on both paths too
    args = ("claims", "--metric", "arrests", "--location", "almaty", "--actor", "police", "--format", "json")
    one, other = run_cli(*args, env=db), run_cli(*args, env=cli_env(FACTDESK_URL=server))
    assert one.returncode == 0 and other.returncode == 0, one.stderr + other.stderr
    assert one.stdout == other.stdout
    [claim] = json.loads(one.stdout)
    assert claim["location"] == "Almaty" and claim["value"]["low"] == 2000
    assert claim["claimant"]["slug"] == "kazakhstan-police"
    assert httpx.get(f"{server}/claims/{claim['id']}").json() == claim

    csv_out = run_cli("claims", "--metric", "arrests", "--known-at", "2022-01-06", "--format", "csv", "--server", server, env=cli_env())
    assert csv_out.stdout == run_cli("claims", "--metric", "arrests", "--known-at", "2022-01-06", "--format", "csv", env=db).stdout
    assert csv_out.stdout.splitlines()[0].startswith("id,metric,value_low,value_high,qualifier,value_text,")
    assert len(csv_out.stdout.splitlines()) == 1 + 2  # 2,298 and around 2,000 were published by then

    limited = run_cli("claims", "--limit", "3", "--server", server, env=cli_env())
    assert len(limited.stdout.splitlines()) == 1 + 3 and "raise --limit" in limited.stderr


def test_claims_csv_is_the_apis_csv_from_the_database_and_from_the_server(db_url, server) -> None:
    """`factdesk claims --format csv` prints GET /claims?format=csv: the same header line (the
    same columns, in the same order, named alike), the same rows, with cells formula-safe."""
    api = httpx.get(f"{server}/claims", params={"metric": "arrests", "format": "csv", "limit": 500})
    assert api.status_code == 200 and api.headers["content-type"].startswith("text/csv")
    api_header = api.text.splitlines()[0]
    assert api_header == (
        "id,metric,value_low,value_high,qualifier,value_text,group,location,as_of,claimant_slug,claimant_name,via,"
        "document_id,outlet,title,url,published,quote,start,end,confidence,origin,status,event_slug,event_name"
    )
    db = cli_env(DATABASE_URL=db_url)
    from_db = run_cli("claims", "--metric", "arrests", "--format", "csv", "--limit", "500", env=db)
    from_server = run_cli("claims", "--metric", "arrests", "--format", "csv", "--limit", "500", "--server", server, env=cli_env())
    assert from_db.returncode == 0 and from_server.returncode == 0, from_db.stderr + from_server.stderr
    assert from_db.stdout.splitlines()[0] == from_server.stdout.splitlines()[0] == api_header
    assert from_db.stdout == from_server.stdout == api.text

    # pages joined under one header; --limit cuts and says so
    everything = httpx.get(f"{server}/claims", params={"format": "csv", "limit": 500}).text
    paged = run_cli("claims", "--format", "csv", "--limit", "7", "--server", server, env=cli_env())
    rows = list(csv.reader(io.StringIO(paged.stdout)))
    assert rows[0] == api_header.split(",") and len(rows) == 1 + 7
    assert rows == list(csv.reader(io.StringIO(everything)))[:8]
    assert "showing the first 7 claims; more match (raise --limit)" in paged.stderr



def test_claims_csv_cells_are_formula_safe_as_the_apis(writable) -> None:
    key = writable.new_key()
    doc = httpx.get(f"{writable.base}/documents").json()["items"][0]
    group = f"=HYPERLINK(\"http://x.test\") {uuid.uuid4().hex[:6]}"
    body = {"document_id": doc["id"], "quote": "As night fell, the shooting stopped again.", "group": group}
    r = httpx.post(f"{writable.base}/claims", json=body, headers={"Authorization": f"Bearer {key}"})
    assert r.status_code == 201, r.text
    api = httpx.get(f"{writable.base}/claims", params={"group": group, "format": "csv"}).text
    for env, extra in ((cli_env(DATABASE_URL=writable.db_url), ()), (cli_env(), ("--server", writable.base))):
        out = run_cli("claims", "--group", group, "--format", "csv", *extra, env=env)
        assert out.returncode == 0, out.stderr
        assert out.stdout == api
        [row] = list(csv.DictReader(io.StringIO(out.stdout)))
        assert row["group"] == "'" + group


def test_actors_and_documents_tables_are_the_same_from_the_database_and_from_the_server(db_url, server) -> None:
    db = cli_env(DATABASE_URL=db_url)
    for args in (("actors", "--q", "tokáyev"), ("actors", "--limit", "100"), ("documents",)):
        from_db, from_server = run_cli(*args, env=db), run_cli(*args, "--server", server, env=cli_env())
        assert from_db.returncode == 0 and from_server.returncode == 0, from_db.stderr + from_server.stderr
        assert from_db.stdout == from_server.stdout, args
    actors = run_cli("actors", "--q", "tokaev", env=db).stdout.splitlines()
    assert actors[0].split() == ["slug", "name", "kind", "claims", "figures", "statements"]
    tokayev = next(a for a in ACTORS if a["slug"] == "kassym-jomart-tokayev")
    expected = sum(1 for c in CLAIMS if c.get("claimant") in {tokayev["slug"], tokayev["name"], *tokayev.get("aliases", [])})
    assert actors[1].split()[:3] == ["kassym-jomart-tokayev", "Kassym-Jomart", "Tokayev"]
    assert int(actors[1].split()[-3]) == expected
    everyone = run_cli("actors", "--limit", "100", env=db).stdout.splitlines()
    assert len(everyone) == 1 + len(ACTORS)
    documents = run_cli("documents", env=db).stdout.splitlines()
    assert documents[0].split() == ["id", "published", "outlet", "title", "claims"]
    assert len(documents) == 1 + len(MANIFEST["documents"])
    assert "Der Spiegel (via The Limited Times)" in "\n".join(documents)


def test_read_commands_say_what_is_wrong_in_one_line_and_exit_1(db_url, server) -> None:
    expected = "factdesk claims: unknown metric 'arests'; did you mean 'arrests'?"
    for result in (
        run_cli("claims", "--metric", "arests", env=cli_env(DATABASE_URL=db_url)),
        run_cli("claims", "--metric", "arests", "--server", server, env=cli_env()),
    ):
        assert result.returncode == 1
        assert result.stdout == ""
        assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith(expected), result.stderr
    actor = run_cli("actors", "--server", server, env=cli_env())  # fine
    assert actor.returncode == 0
    nobody = run_cli("claims", "--actor", "zzqxv", "--server", server, env=cli_env())
    assert nobody.returncode == 1 and nobody.stderr.startswith("factdesk claims: no actor is called 'zzqxv'")

    from tests.conftest import free_port

    down = run_cli("documents", "--server", f"http://127.0.0.1:{free_port()}", env=cli_env())
    assert down.returncode == 1 and len(down.stderr.splitlines()) == 1
    assert down.stderr.startswith("factdesk documents: cannot reach the server at http://127.0.0.1:"), down.stderr
    bad_date = run_cli("claims", "--since", "yesterday", env=cli_env())
    assert bad_date.returncode == 2 and "YYYY-MM-DD" in bad_date.stderr


# -- factdesk ingest FOLDER --------------------------------------------------------------------

FLOODS = """Floods kill dozens in Valdoria as rivers burst their banks

The Interior Ministry said on Tuesday that 41 people had been killed and more than 2,000 evacuated after three days of rain.
According to the Red Cross, at least 120 people were injured, several hundred of them in the capital, Port Ellis.
"""
QUAKE = """# Earthquake strikes northern Valdoria

Police said on Wednesday that 12 people had died and about 300 were injured when the quake hit at dawn.
"""


def test_ingest_a_folder_reports_progress_and_a_summary_and_goes_on_past_a_bad_file(writable, tmp_path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    marker = uuid.uuid4().hex[:8]
    (folder / "a_floods.txt").write_text(FLOODS + f"\n{marker}\n", encoding="utf-8")
    (folder / "b_quake.md").write_text(QUAKE + f"\n{marker}\n", encoding="utf-8")
    (folder / "c_broken.txt").write_bytes(b"\xff\xfe not UTF-8")
    (folder / "notes.csv").write_text("not an article", encoding="utf-8")
    (folder / "README.md").write_text("# About these articles\n", encoding="utf-8")  # notes, not an article
    (folder / "manifest.json").write_text(json.dumps({"documents": [
        {"key": "q", "file": "b_quake.md", "title": f"Quake {marker}", "outlet": "Valdoria Post",
         "published": "2024-05-09", "url": "https://example.org/quake", "note": "ignored"},
    ]}), encoding="utf-8")
    env = cli_env(DATABASE_URL=writable.db_url)

    result = run_cli("ingest", str(folder), "--published", "2024-05-07", "--outlet", "Test Wire", env=env)
    assert result.returncode == 1, result.stderr  # one file failed
    # not a terminal: one line per file on stderr, in name order
    log = [line for line in result.stderr.splitlines() if line.startswith("ingest ")]
    assert [line.split()[2] for line in log] == ["a_floods.txt:", "b_quake.md:", "c_broken.txt:"], result.stderr
    assert "(new)" in log[0] and "(new)" in log[1] and "failed: not UTF-8" in log[2]
    out = result.stdout.splitlines()
    assert out[0] == "3 files: 2 new documents, 0 already archived, 1 failed", result.stdout
    assert out[1].startswith("  failed: c_broken.txt: not UTF-8 text")
    assert out[2].startswith("claims extracted from the new documents: ") and "figures" in out[2]

    docs = {d["title"]: d for d in httpx.get(f"{writable.base}/documents", params={"limit": 500}).json()["items"]}
    quake = docs[f"Quake {marker}"]  # metadata from the manifest
    assert (quake["outlet"], quake["published"], quake["url"]) == ("Valdoria Post", "2024-05-09", "https://example.org/quake")
    floods = docs["Floods kill dozens in Valdoria as rivers burst their banks"]  # options, first line
    assert (floods["outlet"], floods["published"]) == ("Test Wire", "2024-05-07")

    # the counts are those of the claims now stored for the two documents
    claims = [c for d in (quake, floods) for c in httpx.get(f"{writable.base}/documents/{d['id']}/claims").json()["items"]]
    figures = [c for c in claims if c["metric"]]
    assert figures and out[2] == f"claims extracted from the new documents: {len(figures)} figures, {len(claims) - len(figures)} statements"
    by_metric = next(line for line in out if line.startswith("  by metric: ")).removeprefix("  by metric: ")
    assert dict(item.rsplit(" ", 1) for item in by_metric.split(", ")) == {
        m: str(n) for m, n in Counter(c["metric"] for c in figures).items()
    }
    claimants = Counter(c["claimant"]["name"] if c["claimant"] else "(no named source)" for c in claims)
    top = next(line for line in out if line.startswith("  top claimants: ")).removeprefix("  top claimants: ")
    assert top.split(", ")[0] == "{} {}".format(*sorted(claimants.items(), key=lambda x: (-x[1], x[0]))[0])

    again = run_cli("ingest", str(folder), "--published", "2024-05-07", env=env)
    assert again.returncode == 1
    assert again.stdout.splitlines()[0] == "3 files: 0 new documents, 2 already archived, 1 failed"
    (folder / "c_broken.txt").unlink()
    clean = run_cli("ingest", str(folder), "--published", "2024-05-07", env=env)
    assert clean.returncode == 0 and clean.stdout.startswith("2 files: 0 new documents, 2 already archived, 0 failed")

    # without --published, a file the manifest does not list fails (and says why); --title is refused
    undated = run_cli("ingest", str(folder), env=env)
    assert undated.returncode == 1 and "a_floods.txt: no publication date" in undated.stdout
    assert run_cli("ingest", str(folder), "--title", "x", env=env).returncode == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run_cli("ingest", str(empty), env=env).returncode == 2


def test_ingest_progress_bar_is_drawn_in_place_on_a_terminal() -> None:
    import io

    from service.cli_ingest import Outcome, Progress

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Tty()
    bar = Progress(2, stream)
    bar.start(0, "a.txt")
    bar.finish(1, Outcome("a.txt", "new", document_id=1, figures=2))
    bar.start(1, "b.txt")
    bar.finish(2, Outcome("b.txt", "failed", reason="the file is empty"))
    text = stream.getvalue()
    assert text.startswith("\r\x1b[2Kingest [" + "." * 30 + "] 0/2 a.txt")
    assert "\r\x1b[2Kingest [" + "#" * 15 + "." * 15 + "] 1/2 b.txt" in text
    assert "ingest: b.txt: failed: the file is empty\n" in text
    assert text.endswith("] 2/2 in 0.0s\n")
    assert text.count("\n") == 2  # redrawn in place: only the failure and the end take a line


def test_events_and_metrics_commands_read_alike_from_the_database_and_the_server(db_url, server) -> None:
    db = cli_env(DATABASE_URL=db_url)
    for args in (("events",), ("metrics",), ("metrics", "--event", "Bloody January"), ("claims", "--event", "kazakh unrest", "--metric", "arrests")):
        here = run_cli(*args, "--width", "160", env=db)
        there = run_cli(*args, "--width", "160", "--server", server, env=db)
        assert here.returncode == 0, here.stderr
        assert here.stdout == there.stdout, args
    events = run_cli("events", "--format", "csv", env=db).stdout.splitlines()
    assert events[0].startswith("slug,kind,onset") and events[1].startswith("kazakhstan-unrest-2022,unrest,2022-01-02")
    arrests = next(line for line in run_cli("metrics", env=db).stdout.splitlines() if line.startswith("arrests"))
    assert arrests.split()[1:7] == ["6", "3", "5", "1", "2,000", "6,000"]
    unknown = run_cli("claims", "--event", "no such story", env=db)
    assert unknown.returncode == 1 and "no event is called 'no such story'" in unknown.stderr
