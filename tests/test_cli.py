"""The factdesk command: help, keys (stored hashed, revocable), seed, openapi."""

from __future__ import annotations

import uuid

import httpx
import psycopg

from service.openapi import COMMITTED
from tests.conftest import _plain, cli_env, problem, run_cli
from tests.seeddata import CLAIMS


def test_help_lists_every_command_with_a_description() -> None:
    result = run_cli("--help", env=cli_env())
    assert result.returncode == 0
    for command in ("serve", "migrate", "seed", "keys", "openapi"):
        line = next(l for l in result.stdout.splitlines() if l.strip().startswith(command + " "))
        assert len(line.split(None, 1)[1]) > 10, line
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
