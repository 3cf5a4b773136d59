"""README.md's commands work and print what it shows.

Every command in a ```sh block of README.md is run, in README order, against a served instance
with its own freshly seeded database (``localhost:8000`` becomes the instance's address,
``uv run factdesk`` / ``factdesk`` this checkout's CLI, with DATABASE_URL set to that database),
in a temporary folder. Each must exit 0. A command that is not to be run is listed in ``SKIP``
with the reason, so a new command is run unless someone decides otherwise.

The convention for shown output: a ```text block directly after a ```sh block is what the sh
block's commands print on stdout, compared line by line (trailing spaces ignored):

- a line that is only ``…`` stands for any number of lines (none included);
- ``…`` inside a line stands for any text within that line;
- everything else must be equal, indentation included.

Shell variables set by a command (``KEY=$(…)``) are kept for the commands after it. A curl
command that answers with a problem+json is a failure unless ``EXPECTED_PROBLEMS`` lists it.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import ROOT, cli_env

README = ROOT / "README.md"

pytestmark = pytest.mark.writes  # README's write examples go to an instance of its own

# (pattern searched in the command, why it is not run)
SKIP: list[tuple[str, str]] = [
    (r"\bfactdesk serve\b", "starts a server that runs until stopped; the test serves one (conftest `writable`)"),
    (r"^pip install\b", "installs software on the machine"),
    (r"\bpytest\b", "runs the test suite, which this test is part of"),
    (r"^docker\b", "needs Docker (tests/test_containers.py covers the compose file)"),
]

# commands whose answer is a problem+json on purpose: command → its status
EXPECTED_PROBLEMS = {
    "curl 'localhost:8000/claims?metric=arests'": 404,  # the example of a helpful error
    "curl 'localhost:8000/claims?metrc=arrests'": 400,  # a misspelt parameter is named, not ignored
}

# files the commands expect to find in the folder they run in
ARTICLE = """Floods kill dozens in Valdoria as rivers burst their banks

The Interior Ministry said on Tuesday that 41 people had been killed and more than 2,000 evacuated after three days of rain.
According to the Red Cross, at least 120 people were injured, several hundred of them in the capital, Port Ellis.
"""
FILES = {
    "article.txt": ARTICLE,
    "articles/storm.txt": "Storm hits Valdoria\n\nPolice said on Friday that 7 people had died in the storm.\n",
    "articles/quake.md": "# Quake in Valdoria\n\nThe Red Cross said about 300 people were injured in the quake.\n",
}


@dataclass
class Command:
    text: str  # as written in the README (continuation lines joined by the shell)
    line: int  # where it starts in README.md
    block: int  # index of its sh block


@dataclass
class Block:
    line: int
    commands: list[Command] = field(default_factory=list)
    output: str | None = None  # the ```text block after it
    output_line: int = 0


def _complete(text: str) -> bool:
    if text.rstrip().endswith("\\"):
        return False
    try:
        shlex.split(text, comments=True)
    except ValueError:  # an open quote: the command goes on on the next line
        return False
    return True


def parse_readme(text: str) -> list[Block]:
    """The README's sh blocks, their commands and the text block shown after each."""
    blocks: list[Block] = []
    lines = text.splitlines()
    i = 0
    last_closed: tuple[Block, int] | None = None  # the sh block that ended last and where
    while i < len(lines):
        fence = re.match(r"^```(\w*)\s*$", lines[i])
        if not fence:
            if lines[i].strip():
                last_closed = None
            i += 1
            continue
        lang, start = fence.group(1), i
        i += 1
        body = []
        while i < len(lines) and not lines[i].startswith("```"):
            body.append(lines[i])
            i += 1
        i += 1  # the closing fence
        if lang == "sh":
            block = Block(line=start + 1)
            pending: list[str] = []
            pending_line = 0
            for n, line in enumerate(body, start + 2):
                if not pending and (not line.strip() or line.lstrip().startswith("#")):
                    continue
                if not pending:
                    pending_line = n
                pending.append(line)
                joined = "\n".join(pending)
                if _complete(joined):
                    block.commands.append(Command(joined, pending_line, len(blocks)))
                    pending = []
            assert not pending, f"README.md:{pending_line}: unfinished command"
            blocks.append(block)
            last_closed = (block, i)
        elif lang == "text" and last_closed is not None:
            block = last_closed[0]
            block.output = "\n".join(body) + "\n"
            block.output_line = start + 1
            last_closed = None
        else:
            last_closed = None
    return blocks


def shown_output_pattern(shown: str) -> re.Pattern[str]:
    parts = []
    for line in shown.splitlines():
        line = line.rstrip()
        if line.strip() == "…":
            parts.append(r"(?:[^\n]*\n)*?")
        else:
            parts.append("[^\\n]*".join(re.escape(p) for p in line.split("…")) + r"\n")
    return re.compile("".join(parts))


def normalise(output: str) -> str:
    return "".join(line.rstrip() + "\n" for line in output.splitlines())


def matches(shown: str, actual: str) -> bool:
    """Whether ``actual`` is what README shows (with its … elisions)."""
    return shown_output_pattern(shown).fullmatch(normalise(actual)) is not None


BLOCKS = parse_readme(README.read_text(encoding="utf-8"))
COMMANDS = [c for b in BLOCKS for c in b.commands]


def skip_reason(command: str) -> str | None:
    for pattern, reason in SKIP:
        if re.search(pattern, command, re.MULTILINE):
            return reason
    return None


class Session:
    """Shell variables and outputs carried from one README command to the next."""

    def __init__(self) -> None:
        self.variables: dict[str, str] = {}
        self.outputs: dict[int, list[str]] = {}  # block index → stdout of its commands so far
        self.failed_blocks: set[int] = set()


@pytest.fixture(scope="module")
def session() -> Session:
    return Session()


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("readme")
    for name, content in FILES.items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_text(content, encoding="utf-8")
    return path


def rewrite(command: str, base: str) -> str:
    cli = f"{shlex.quote(sys.executable)} -m service.cli"
    command = command.replace("http://localhost:8000", base).replace("localhost:8000", base.removeprefix("http://"))
    command = re.sub(r"\buv run factdesk\b", cli, command)
    return re.sub(r"(^|[|;&(]\s*)factdesk\b", lambda m: m.group(1) + cli, command, flags=re.MULTILINE)


def test_readme_has_commands_and_shown_outputs() -> None:
    assert len(COMMANDS) >= 20
    assert sum(1 for b in BLOCKS if b.output is not None) >= 5
    assert any("factdesk claims" in c.text for c in COMMANDS)


@pytest.mark.parametrize("command", COMMANDS, ids=[f"README.md:{c.line}" for c in COMMANDS])
def test_readme_command(command: Command, writable, session: Session, workdir: Path) -> None:
    reason = skip_reason(command.text)
    if reason:
        pytest.skip(f"{command.text.splitlines()[0]!r}: {reason}")
    assert shutil.which("curl") or "curl" not in command.text, "curl is needed for README's examples"

    script = rewrite(command.text, writable.base)
    assignment = re.fullmatch(r"([A-Z_][A-Z0-9_]*)=(\$\(.*\))", command.text.strip(), re.DOTALL)
    if assignment:
        script += f' && printf %s "${assignment.group(1)}"'
    env = cli_env(
        DATABASE_URL=writable.db_url,
        FACTDESK_HOME=str(workdir / ".factdesk"),
        PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
        **session.variables,
    )
    result = subprocess.run(
        ["bash", "-o", "pipefail", "-c", script], cwd=workdir, env=env, capture_output=True, text=True, timeout=180
    )
    where = f"README.md:{command.line}: {command.text}"
    if result.returncode != 0:
        session.failed_blocks.add(command.block)
    assert result.returncode == 0, f"{where}\nexited {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    if assignment:
        assert result.stdout.strip(), f"{where}\nset {assignment.group(1)} to nothing; stderr:\n{result.stderr}"
        session.variables[assignment.group(1)] = result.stdout.strip()
        return

    if command.text.startswith("curl") and "-I" not in command.text.split():
        try:
            body = json.loads(result.stdout)
        except ValueError:
            body = None
        if isinstance(body, dict) and isinstance(body.get("status"), int) and "title" in body:
            assert EXPECTED_PROBLEMS.get(command.text) == body["status"], f"{where}\nanswered a problem:\n{result.stdout}"
        else:
            assert command.text not in EXPECTED_PROBLEMS, f"{where}\nno longer answers a problem:\n{result.stdout}"

    block = BLOCKS[command.block]
    session.outputs.setdefault(command.block, []).append(result.stdout)
    if block.output is not None and command is block.commands[-1]:
        assert command.block not in session.failed_blocks, f"{where}\nan earlier command of this block failed"
        actual = "".join(session.outputs[command.block])
        assert matches(block.output, actual), (
            f"{where}\nprints something else than README.md:{block.output_line} shows.\n"
            f"shown:\n{block.output}\nprinted:\n{actual}"
        )


def test_shown_output_matching_catches_stale_output() -> None:
    actual = '{\n  "id": 2,\n  "value": {\n    "low": 2298,\n    "text": "2,298"\n  },\n  "status": "accepted"\n}\n'
    assert matches(actual, actual)
    assert matches('{\n  "id": 2,\n…\n    "text": "2,…"\n…\n', actual)
    assert matches('{\n…\n  "status": "accepted"\n}\n', actual)
    assert matches('{\n  "id": 2,  \n…\n', actual)  # trailing spaces do not count
    assert not matches('{\n  "id": 3,\n…\n', actual)  # a changed value
    assert not matches('{\n  "id": 2,\n', actual)  # output that goes on without a …
    assert not matches('{\n"id": 2,\n…\n', actual)  # indentation counts
    assert not matches('{\n…\n    "text": "2,299"\n…\n', actual)


def test_the_readme_parser_finds_commands_outputs_and_continuations() -> None:
    text = (
        "intro\n\n```sh\n# a comment\ncurl 'a' \\\n  -H 'b'\ncurl -d '{\"x\":\n  1}' c\n```\n\n```text\nout\n```\n"
        "\n```sh\nls\n```\nprose\n\n```text\nnot an output: prose stands between\n```\n"
    )
    first, second = parse_readme(text)
    assert [c.text for c in first.commands] == ["curl 'a' \\\n  -H 'b'", "curl -d '{\"x\":\n  1}' c"]
    assert first.output == "out\n" and first.commands[0].line == 5
    assert [c.text for c in second.commands] == ["ls"] and second.output is None
    assert skip_reason("uv run factdesk serve") and skip_reason("docker compose up --build")
    assert skip_reason("uv run factdesk claims --metric arrests") is None
    assert rewrite("uv run factdesk claims --server http://localhost:8000", "http://127.0.0.1:9") == (
        f"{shlex.quote(sys.executable)} -m service.cli claims --server http://127.0.0.1:9"
    )
