"""Static checks of Dockerfile, .dockerignore and docker-compose.yml (no Docker engine needed).

These read the files as text/YAML and check them against the repository and the service's own
settings, so a container setup that cannot work (wrong database URL, a COPY of a missing path,
running as root, a CMD that listens on loopback only, …) fails here rather than on someone's
`docker compose up`. No fixtures, no database.
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import msgspec
import pytest
import yaml

from service.settings import Settings, normalize_database_url

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
COMPOSE = ROOT / "docker-compose.yml"

# What the service resolves next to the `service` package at run time (Alembic config,
# migrations, seeds, the committed OpenAPI document) plus what `uv sync` needs to install it.
RUNTIME_PATHS = {
    "service",
    "migrations",
    "seeds",
    "openapi",
    "pyproject.toml",
    "uv.lock",
    "README.md",
}
PG_DATA_DIR = "/var/lib/postgresql/data"  # official image, majors up to 17


# -- Dockerfile parsing ------------------------------------------------------------------------


@dataclass(frozen=True)
class Instruction:
    keyword: str  # upper case: FROM, RUN, COPY, ...
    args: str  # the rest of the logical line, continuations joined
    stage: int  # index of the build stage (FROM) it belongs to
    line: int  # 1-based line number where it starts


def parse_dockerfile(text: str) -> list[Instruction]:
    """Logical instructions: comments dropped, backslash continuations joined."""
    out: list[Instruction] = []
    stage = -1
    buf: list[str] = []
    start = 0
    for n, raw in enumerate(text.splitlines(), 1):
        stripped = raw.strip()
        if not buf and (not stripped or stripped.startswith("#")):
            continue
        if buf and stripped.startswith("#"):  # comment lines inside a continuation are dropped
            continue
        if not buf:
            start = n
        if stripped.endswith("\\"):
            buf.append(stripped[:-1].strip())
            continue
        buf.append(stripped)
        logical = " ".join(part for part in buf if part)
        buf = []
        keyword, _, args = logical.partition(" ")
        keyword = keyword.upper()
        if keyword == "FROM":
            stage += 1
        out.append(Instruction(keyword, args.strip(), stage, start))
    assert not buf, "Dockerfile ends inside a line continuation"
    return out


def split_flags(args: str) -> tuple[dict[str, str], list[str]]:
    """``--from=x --chown=y a b c`` -> ({"from": "x", "chown": "y"}, ["a", "b", "c"]).
    Handles the JSON (exec) form too."""
    flags: dict[str, str] = {}
    rest = args
    while rest.startswith("--"):
        flag, _, rest = rest.partition(" ")
        name, _, value = flag[2:].partition("=")
        flags[name.lower()] = value
        rest = rest.strip()
    if rest.startswith("["):
        words = json.loads(rest)
    else:
        words = shlex.split(rest)
    return flags, words


def command_words(args: str) -> list[str]:
    """argv of a CMD/ENTRYPOINT/HEALTHCHECK CMD in exec (JSON) or shell form."""
    args = args.strip()
    if args.startswith("["):
        return list(json.loads(args))
    return shlex.split(args)


@pytest.fixture(scope="module")
def instructions() -> list[Instruction]:
    assert DOCKERFILE.is_file(), "Dockerfile is missing at the repository root"
    parsed = parse_dockerfile(DOCKERFILE.read_text(encoding="utf-8"))
    keywords = [i.keyword for i in parsed if i.keyword != "ARG"]
    assert keywords and keywords[0] == "FROM", "a Dockerfile starts with FROM (after optional ARGs)"
    return parsed


@pytest.fixture(scope="module")
def final_stage(instructions: list[Instruction]) -> list[Instruction]:
    last = max(i.stage for i in instructions)
    return [i for i in instructions if i.stage == last]


def context_copies(instructions: list[Instruction]) -> list[tuple[Instruction, list[str]]]:
    """(instruction, sources) for every COPY/ADD that reads the build context."""
    out = []
    for ins in instructions:
        if ins.keyword not in ("COPY", "ADD"):
            continue
        flags, words = split_flags(ins.args)
        if "from" in flags:  # from another stage or image, not the build context
            continue
        assert len(words) >= 2, f"line {ins.line}: {ins.keyword} needs a source and a destination"
        out.append((ins, words[:-1]))
    return out


def normalized(source: str) -> str:
    path = source.strip().lstrip("/")
    while path.startswith("./"):
        path = path[2:]
    return path.rstrip("/") or "."


# -- .dockerignore matching (Docker's rules, close enough for the patterns we use) --------------


def _pattern_regex(pattern: str) -> re.Pattern[str]:
    out, i = "", 0
    while i < len(pattern):
        c = pattern[i]
        if pattern.startswith("**/", i):
            out, i = out + "(?:.*/)?", i + 3
        elif pattern.startswith("**", i):
            out, i = out + ".*", i + 2
        elif c == "*":
            out, i = out + "[^/]*", i + 1
        elif c == "?":
            out, i = out + "[^/]", i + 1
        elif c == "[":
            end = pattern.index("]", i)
            out, i = out + pattern[i : end + 1], end + 1
        else:
            out, i = out + re.escape(c), i + 1
    return re.compile(out + r"\Z")


def load_dockerignore() -> list[tuple[bool, re.Pattern[str]]]:
    rules = []
    for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        negate = line.startswith("!")
        pattern = normalized(line[1:] if negate else line)
        rules.append((negate, _pattern_regex(pattern)))
    return rules


def ignored(path: str, rules: list[tuple[bool, re.Pattern[str]]]) -> bool:
    """Whether ``path`` (relative to the context) is left out; a left-out folder hides its files."""
    parts = normalized(path).split("/")
    prefixes = ["/".join(parts[: k + 1]) for k in range(len(parts))]
    result = False
    for negate, regex in rules:  # the last matching rule wins
        if any(regex.match(p) for p in prefixes):
            result = not negate
    return result


# -- compose helpers ---------------------------------------------------------------------------

_VAR = re.compile(r"\$\$|\$\{(\w+)(?:(:?[-?])([^}]*))?\}|\$(\w+)")


def interpolate(value: str, env: dict[str, str]) -> str:
    """Compose variable interpolation: $$, $VAR, ${VAR}, ${VAR:-default}, ${VAR-default}."""

    def sub(m: re.Match[str]) -> str:
        if m.group(0) == "$$":
            return "$"
        name = m.group(1) or m.group(4)
        op, default = m.group(2), m.group(3) or ""
        if op == ":-":
            return env.get(name) or default
        if op == "-":
            return env.get(name, default)
        if op in (":?", "?"):
            assert name in env, f"compose requires {name} to be set: {default}"
        return env.get(name, "")

    return _VAR.sub(sub, value)


def environment(service: dict, env: dict[str, str] | None = None) -> dict[str, str]:
    raw = service.get("environment") or {}
    if isinstance(raw, list):
        raw = dict(item.partition("=")[::2] for item in raw)
    return {k: interpolate(str(v), env or {}) for k, v in raw.items() if v is not None}


@pytest.fixture(scope="module")
def compose() -> dict:
    assert COMPOSE.is_file(), "docker-compose.yml is missing at the repository root"
    data = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    assert isinstance(data, dict) and isinstance(data.get("services"), dict)
    assert {"db", "api"} <= data["services"].keys(), "compose needs the services db and api"
    return data


def official_postgres_major(image: str) -> int:
    m = re.fullmatch(
        r"(?:docker\.io/)?(?:library/)?postgres:(\d+)(?:\.\d+)*(?:-[a-z0-9.]+)?", image
    )
    assert m, f"db image {image!r} is not the official postgres image with a pinned major version"
    return int(m.group(1))


def container_port(entry: object) -> int:
    if isinstance(entry, dict):
        return int(entry["target"])
    spec = str(entry).split("/")[0]  # drop /tcp
    return int(spec.rsplit(":", 1)[-1])


def published_port(entry: object) -> int | None:
    if isinstance(entry, dict):
        return int(entry["published"]) if entry.get("published") else None
    parts = str(entry).split("/")[0].split(":")
    return int(parts[-2]) if len(parts) >= 2 else None


def setting_env_names() -> set[str]:
    """The environment variables Settings.from_env reads (see its docstring)."""
    names = set()
    for field in msgspec.structs.fields(Settings):
        names.add(
            "DATABASE_URL" if field.name == "database_url" else f"FACTDESK_{field.name.upper()}"
        )
    return names


# -- docker-compose.yml: db --------------------------------------------------------------------


def test_db_uses_official_postgres_image_with_pinned_major(compose: dict) -> None:
    image = compose["services"]["db"].get("image", "")
    major = official_postgres_major(image)
    assert major >= 15, "factdesk supports PostgreSQL 15 and later"


def test_db_healthcheck_uses_pg_isready(compose: dict) -> None:
    check = compose["services"]["db"].get("healthcheck")
    assert check, "db needs a healthcheck, or api cannot wait for service_healthy"
    assert not check.get("disable"), "db healthcheck is disabled"
    test = check.get("test")
    words = test if isinstance(test, list) else ["CMD-SHELL", test]
    assert words[0] in ("CMD", "CMD-SHELL"), (
        f"healthcheck test must be CMD or CMD-SHELL, got {words[0]!r}"
    )
    assert "pg_isready" in " ".join(words[1:]), "db healthcheck must run pg_isready"


def test_db_data_lives_on_a_declared_named_volume(compose: dict) -> None:
    db = compose["services"]["db"]
    data_dir = "/var/lib/postgresql" if official_postgres_major(db["image"]) >= 18 else PG_DATA_DIR
    declared = compose.get("volumes") or {}
    sources = []
    for vol in db.get("volumes") or []:
        if isinstance(vol, dict):
            source, target, kind = vol.get("source"), vol.get("target"), vol.get("type", "volume")
        else:
            source, target = (str(vol).split(":") + [""])[:2]
            kind = "bind" if source.startswith((".", "/", "~")) else "volume"
        if target.rstrip("/") == data_dir:
            sources.append((kind, source))
    assert sources, f"db must mount a volume at {data_dir} or its data is lost with the container"
    kind, name = sources[0]
    assert kind == "volume", f"{data_dir} should be a named volume, not a bind mount of {name!r}"
    assert name in declared, (
        f"volume {name!r} is used by db but not declared under top-level volumes"
    )


def test_db_environment_names_the_database_and_credentials(compose: dict) -> None:
    env = environment(compose["services"]["db"])
    assert env.get("POSTGRES_DB") == "factdesk"
    assert env.get("POSTGRES_USER"), (
        "set POSTGRES_USER (otherwise the superuser 'postgres' is used)"
    )
    assert env.get("POSTGRES_PASSWORD"), (
        "the postgres image refuses to start without POSTGRES_PASSWORD"
    )


# -- docker-compose.yml: api -------------------------------------------------------------------


def test_api_builds_from_this_dockerfile(compose: dict) -> None:
    build = compose["services"]["api"].get("build")
    assert build, "api must be built from the repository, not pulled"
    if isinstance(build, str):
        context, dockerfile = build, "Dockerfile"
    else:
        context, dockerfile = build.get("context", "."), build.get("dockerfile", "Dockerfile")
    path = (COMPOSE.parent / context / dockerfile).resolve()
    assert path == DOCKERFILE.resolve(), f"api builds {path}, expected {DOCKERFILE}"


@pytest.mark.parametrize("password", [None, "s3cret-Pass_1"])
def test_api_database_url_points_at_the_db_service(compose: dict, password: str | None) -> None:
    """Same host, database, user and password as the db service, with the default password and
    with one overridden through the environment (both sides must interpolate the same way)."""
    shell_env = {} if password is None else {"POSTGRES_PASSWORD": password}
    db_env = environment(compose["services"]["db"], shell_env)
    api_env = environment(compose["services"]["api"], shell_env)
    assert "DATABASE_URL" in api_env, (
        "api must set DATABASE_URL, or it starts an embedded PostgreSQL"
    )
    url = api_env["DATABASE_URL"]
    normalize_database_url(url)  # raises SystemExit for a scheme the service does not accept
    parts = urlsplit(url)
    assert parts.hostname == "db" and "db" in compose["services"], (
        f"DATABASE_URL host is {parts.hostname!r}"
    )
    assert (parts.port or 5432) == 5432
    assert parts.path.lstrip("/") == db_env["POSTGRES_DB"]
    assert unquote(parts.username or "") == db_env.get("POSTGRES_USER", "postgres")
    assert unquote(parts.password or "") == db_env["POSTGRES_PASSWORD"]
    if password is not None:
        assert db_env["POSTGRES_PASSWORD"] == password


def test_api_waits_for_a_healthy_db(compose: dict) -> None:
    depends = compose["services"]["api"].get("depends_on")
    assert isinstance(depends, dict), "api depends_on must be the long form with a condition"
    assert (depends.get("db") or {}).get("condition") == "service_healthy"


def test_api_publishes_port_8000(compose: dict, final_stage: list[Instruction]) -> None:
    ports = compose["services"]["api"].get("ports") or []
    assert any(container_port(p) == 8000 and published_port(p) == 8000 for p in ports), ports
    exposed = {
        int(w.split("/")[0]) for i in final_stage if i.keyword == "EXPOSE" for w in i.args.split()
    }
    assert 8000 in exposed, "the Dockerfile must EXPOSE the port compose publishes"


def test_api_environment_is_what_the_service_reads(compose: dict) -> None:
    """Every variable compose gives the api is one Settings reads, and DATABASE_URL reaches it."""
    known = setting_env_names()
    assert "DATABASE_URL" in known
    env = environment(compose["services"]["api"])
    unknown = set(env) - known
    assert not unknown, f"api sets variables the service never reads: {sorted(unknown)}"
    settings = Settings.from_env(env)
    assert settings.database_url == env["DATABASE_URL"]


def test_api_restarts_unless_stopped(compose: dict) -> None:
    assert compose["services"]["api"].get("restart") == "unless-stopped"


# -- Dockerfile ---------------------------------------------------------------------------------


def test_dockerfile_bases_on_python_311_slim(instructions: list[Instruction]) -> None:
    stage_names = set()
    bases = set()
    for ins in instructions:
        if ins.keyword != "FROM":
            continue
        _, words = split_flags(ins.args)
        if len(words) >= 3 and words[-2].lower() == "as":
            stage_names.add(words[-1].lower())
        if words[0].lower() not in stage_names:
            bases.add(words[0])
    assert bases, "no base image"
    for base in bases:
        assert re.fullmatch(r"python:3\.11(\.\d+)?-slim(-\w+)?", base), (
            f"base {base!r} is not python:3.11-slim"
        )
    # a venv built in one stage points at the interpreter of its base image
    assert len(bases) == 1, (
        f"builder and runtime stages should share one base image: {sorted(bases)}"
    )


def test_dockerfile_runs_as_a_non_root_user(final_stage: list[Instruction]) -> None:
    cmd_at = [n for n, i in enumerate(final_stage) if i.keyword in ("CMD", "ENTRYPOINT")]
    assert cmd_at, "the final stage has no CMD"
    users = [(n, i) for n, i in enumerate(final_stage) if i.keyword == "USER" and n < cmd_at[-1]]
    assert users, "no USER before CMD: the service would run as root"
    user = users[-1][1].args.split(":")[0].strip()
    assert user not in ("root", "0", ""), f"USER {user!r} is root"


def test_dockerfile_installs_the_lock_with_uv(instructions: list[Instruction]) -> None:
    syncs = [i for i in instructions if i.keyword == "RUN" and "uv sync" in i.args]
    assert syncs, "the Dockerfile must install dependencies with `uv sync`"
    for ins in syncs:
        for cmd in re.findall(r"uv sync[^&;|]*", ins.args):
            assert "--locked" in cmd.split(), f"line {ins.line}: `{cmd.strip()}` without --locked"
            assert "--no-dev" in cmd.split(), (
                f"line {ins.line}: `{cmd.strip()}` installs dev dependencies"
            )
    # --locked needs pyproject.toml and uv.lock in place before the first sync
    copied_before = {
        normalized(s)
        for ins, sources in context_copies(instructions)
        if ins.line < syncs[0].line
        for s in sources
    }
    assert {"pyproject.toml", "uv.lock"} <= copied_before, (
        "copy pyproject.toml and uv.lock before `uv sync`"
    )
    # the sync that installs the project comes after the package source is copied
    project_syncs = [i for i in syncs if "--no-install-project" not in i.args]
    assert project_syncs, "no `uv sync` installs the project itself (the `factdesk` command)"
    service_copied = min(
        ins.line
        for ins, sources in context_copies(instructions)
        if "service" in map(normalized, sources)
    )
    assert project_syncs[-1].line > service_copied, (
        "the project is installed before service/ is copied"
    )
    assert not any("--no-editable" in i.args for i in syncs), (
        "the service finds migrations/, seeds/ and pyproject.toml beside its package: "
        "keep the project install editable"
    )


def test_dockerfile_pins_uv(instructions: list[Instruction]) -> None:
    sources = []
    for ins in instructions:
        if ins.keyword == "COPY":
            flags, _ = split_flags(ins.args)
            if "astral-sh/uv" in flags.get("from", ""):
                sources.append(flags["from"])
        if ins.keyword == "RUN" and re.search(r"pip install\b.*\buv\b", ins.args):
            sources.append(ins.args)
    assert sources, "uv is neither copied from ghcr.io/astral-sh/uv nor installed with pip"
    for src in sources:
        assert re.search(r"uv(:|==)\d+\.\d+\.\d+", src), (
            f"uv is not pinned to an exact version: {src}"
        )


def test_dockerfile_cmd_serves_factdesk_on_all_interfaces(final_stage: list[Instruction]) -> None:
    entry = [i for i in final_stage if i.keyword == "ENTRYPOINT"]
    cmd = [i for i in final_stage if i.keyword == "CMD"]
    argv = (command_words(entry[-1].args) if entry else []) + (
        command_words(cmd[-1].args) if cmd else []
    )
    assert argv[:2] == ["factdesk", "serve"], f"the container runs {argv}, not `factdesk serve`"
    options: dict[str, str] = {}
    for n, word in enumerate(argv):
        if word.startswith("--"):
            name, eq, value = word.partition("=")
            options[name] = value if eq else (argv[n + 1] if n + 1 < len(argv) else "")
    assert options.get("--host") == "0.0.0.0", (
        "without --host 0.0.0.0 the API is unreachable from outside"
    )
    assert options.get("--port", "8000") == "8000"


def test_dockerfile_healthcheck_hits_healthz(final_stage: list[Instruction]) -> None:
    checks = [i for i in final_stage if i.keyword == "HEALTHCHECK"]
    assert checks, "the final stage has no HEALTHCHECK"
    rest, flags = checks[-1].args, {}
    while rest.startswith("--"):
        flag, _, rest = rest.partition(" ")
        name, _, value = flag[2:].partition("=")
        flags[name] = value
        rest = rest.strip()
    kind, _, command = rest.partition(" ")
    assert kind.upper() == "CMD", f"HEALTHCHECK {kind}: it must run a command"
    assert "timeout" in flags, "give the HEALTHCHECK a --timeout"
    argv = command_words(command)
    program = argv[0].rsplit("/", 1)[-1] if argv else ""
    assert re.fullmatch(r"python3?(\.\d+)?", program), (
        f"HEALTHCHECK runs {program!r}; slim images have no curl"
    )
    script = " ".join(argv)
    assert re.search(r"http://(127\.0\.0\.1|localhost):8000/healthz\b", script), script
    served = any(
        '"/healthz"' in p.read_text(encoding="utf-8") for p in (ROOT / "service").rglob("*.py")
    )
    assert served, "the service has no /healthz route for the HEALTHCHECK to call"


def test_dockerfile_copies_only_existing_unignored_paths(instructions: list[Instruction]) -> None:
    rules = load_dockerignore()
    copies = context_copies(instructions)
    assert copies, "the Dockerfile copies nothing from the build context"
    for ins, sources in copies:
        for source in sources:
            path = normalized(source)
            matches = list(ROOT.glob(path)) if any(c in path for c in "*?[") else [ROOT / path]
            assert matches and all(m.exists() for m in matches), (
                f"line {ins.line}: COPY {source}: no such path"
            )
            assert not ignored(path, rules), (
                f"line {ins.line}: COPY {source}: excluded by .dockerignore"
            )


def test_dockerfile_copies_what_the_service_needs_at_run_time(
    instructions: list[Instruction],
) -> None:
    copied = {normalized(s) for _, sources in context_copies(instructions) for s in sources}
    missing = RUNTIME_PATHS - copied
    assert not missing, f"the image lacks {sorted(missing)}"


# -- .dockerignore ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        ".venv/bin/python",
        ".git/HEAD",
        "tests/test_containers.py",
        "service/__pycache__/app.cpython-311.pyc",
        "service/db/__pycache__/engine.cpython-311.pyc",
        ".pytest_cache/v/cache/nodeids",
        ".ruff_cache/CACHEDIR.TAG",
        "bench/results/run.json",
    ],
)
def test_dockerignore_keeps_local_state_out(path: str) -> None:
    assert DOCKERIGNORE.is_file(), ".dockerignore is missing"
    assert ignored(path, load_dockerignore()), f"{path} would be sent to the build context"


@pytest.mark.parametrize("path", sorted(RUNTIME_PATHS) + ["service/app.py", "seeds/claims.json"])
def test_dockerignore_keeps_the_service(path: str) -> None:
    assert not ignored(path, load_dockerignore()), (
        f".dockerignore leaves out {path}, which the image needs"
    )
