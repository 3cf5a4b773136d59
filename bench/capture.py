"""Capture the SQL that factdesk runs for one request, from PostgreSQL's own log, and turn it
into a pgbench script (the statements with their bound values, in order).

While capturing, the server logs every statement (``log_min_duration_statement = 0``) with a
line prefix that carries the application name; factdesk's connections call themselves
``factdesk``. Each endpoint's request is bracketed by two marker statements sent from a
connection named ``fdbench``, so the statements between the markers are that request's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

PREFIX = "%m [%p] %a@@ "
_RECORD = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? \S+ \[(?P<pid>\d+)\] (?P<app>[^@]*)@@ "
    r"(?P<level>[A-Z]+):  (?P<message>.*)$"
)
_DURATION = re.compile(r"^duration: (?P<ms>[0-9.]+) ms  (?P<kind>statement|execute [^:]+|parse [^:]+|bind [^:]+): (?P<sql>.*)$", re.S)
_PARAM = re.compile(r"\$(\d+) = (NULL|'(?:[^']|'')*')", re.S)
MARK = "fdbench:{which}:{name}"


@dataclass
class Statement:
    sql: str  # with the bound values written in as literals
    ms: float  # how long it took when captured


@dataclass
class Captured:
    name: str
    statements: list[Statement] = field(default_factory=list)

    @property
    def db_ms(self) -> float:
        return sum(s.ms for s in self.statements)

    def pgbench_script(self) -> str:
        script = "".join(f"{replayable(s.sql).strip().rstrip(';')};\n" for s in self.statements)
        # a request's transaction ends when its connection goes back to the pool; should that
        # ROLLBACK have been logged after the end marker, end the transaction here
        words = [s.sql.strip().rstrip(";").upper() for s in self.statements]
        if "BEGIN" in words and words[-1] not in ("ROLLBACK", "COMMIT"):
            script += "ROLLBACK;\n"
        return script

    def needs_simple_protocol(self) -> bool:
        """pgbench reads ``:name`` as a variable in prepared mode; a literal holding one (a
        value like 'a:b') can only run in simple mode."""
        return any(re.search(r"(?<!:):[A-Za-z_]", s.sql.replace("::", "")) for s in self.statements)


_COPY_OUT = re.compile(r"^\s*COPY\s*\((?P<query>.*)\)\s*TO\s+STDOUT\b.*$", re.S | re.I)


def replayable(sql: str) -> str:
    """pgbench cannot run COPY … TO STDOUT (the CSV path): it replays the query inside, which
    is the same work less PostgreSQL's CSV formatting."""
    m = _COPY_OUT.match(sql)
    return m["query"] if m else sql


def _records(text: str) -> list[tuple[str, str, str, str]]:
    """(pid, app, level, message) per log record; continuation lines (tab-led) are joined."""
    out: list[list[str]] = []
    for line in text.split("\n"):
        m = _RECORD.match(line)
        if m:
            out.append([m["pid"], m["app"], m["level"], m["message"]])
        elif out and line.startswith("\t"):
            out[-1][3] += "\n" + line[1:]
    return [(a, b, c, d) for a, b, c, d in out]


def bind(sql: str, detail: str | None) -> str:
    """Write the values of ``Parameters: $1 = '…', $2 = NULL`` into the statement."""
    if not detail:
        return sql
    values = {int(n): v for n, v in _PARAM.findall(detail)}
    return re.sub(r"\$(\d+)\b", lambda m: values.get(int(m.group(1)), m.group(0)), sql)


def _events(log_text: str) -> list[tuple[str, ...]]:
    """In log order: ("mark", which, name) for the markers and ("stmt", pid, sql, ms) for every
    statement factdesk's connections executed, with its bound values written in."""
    events: list[tuple[str, ...]] = []
    pending: dict[str, int] = {}  # pid -> index of its execute awaiting a DETAIL line
    for pid, app, level, message in _records(log_text):
        if app == "fdbench":
            if m := re.search(r"fdbench:(begin|end):([a-z0-9_]+)", message):
                events.append(("mark", m.group(1), m.group(2)))
            continue
        if app != "factdesk":
            continue
        if level == "DETAIL" and pid in pending and message.startswith("Parameters: "):
            k = pending.pop(pid)
            _, p, sql, ms = events[k]
            events[k] = ("stmt", p, bind(sql, message[len("Parameters: "):]), ms)
            continue
        if level != "LOG":
            continue
        m = _DURATION.match(message)
        if not m or m["kind"].startswith(("parse", "bind")):
            continue
        pending.pop(pid, None)
        events.append(("stmt", pid, m["sql"], m["ms"]))
        if m["kind"] != "statement":
            pending[pid] = len(events) - 1
    return events


def _ends_transaction(sql: str) -> bool:
    return sql.strip().rstrip(";").upper() in ("ROLLBACK", "COMMIT")


def parse(log_text: str, names: list[str]) -> dict[str, Captured]:
    """Each endpoint's statements: those of the one connection that served the request between
    its begin and end markers, from its first statement to the ROLLBACK that returned it to the
    pool (which may be logged after the end marker). Statements of other connections in the
    window (the tail of an earlier request) are left out."""
    events = _events(log_text)
    result: dict[str, Captured] = {}
    for i, ev in enumerate(events):
        if ev[0] != "mark" or ev[1] != "begin" or ev[2] not in names:
            continue
        name = ev[2]
        end = next((k for k in range(i + 1, len(events)) if events[k][0] == "mark" and events[k][1] == "end"
                    and events[k][2] == name), len(events))
        pid = next((events[k][1] for k in range(i + 1, end)
                    if events[k][0] == "stmt" and not _ends_transaction(events[k][2])), None)
        cap = result.setdefault(name, Captured(name))
        if pid is None:
            continue
        in_transaction = False
        for k in range(i + 1, len(events)):
            e = events[k]
            if k > end and not in_transaction:
                break  # reads run in autocommit: the request's statements are all before its end marker
            if e[0] != "stmt" or e[1] != pid:
                continue
            if _ends_transaction(e[2]) and not cap.statements:
                continue  # the end of this connection's previous request
            cap.statements.append(Statement(e[2], float(e[3])))
            word = e[2].strip().rstrip(";").upper()
            in_transaction = (in_transaction or word == "BEGIN") and not _ends_transaction(e[2])
            if _ends_transaction(e[2]):
                break
    return result


def capture_settings() -> list[tuple[str, str]]:
    return [("log_min_duration_statement", "0"), ("log_line_prefix", PREFIX)]


def read_from(path: Path, offset: int) -> str:
    with path.open("rb") as f:
        f.seek(offset)
        return f.read().decode("utf-8", "replace")
