"""A throwaway PostgreSQL server for the tests and benchmarks: `initdb` into a temporary
folder, listening on a Unix socket in that folder only (no TCP port), stopped and deleted at
the end. PostgreSQL refuses to run as root, and CI runs as root: then the server runs as the
`postgres` system user that Debian's package creates (scripts/system-deps.sh installs it).
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path


def postgres_bin(name: str) -> Path | None:
    """A PostgreSQL server program (`initdb`, `pg_ctl`): Debian keeps them outside PATH."""
    found = shutil.which(name)
    if found:
        return Path(found)
    versions = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda p: int(Path(p).parts[4]) if Path(p).parts[4].isdigit() else 0,
    )
    return Path(versions[-1]) if versions else None


def missing() -> str | None:
    """Why no server can be started here, or None."""
    for name in ("initdb", "pg_ctl"):
        if postgres_bin(name) is None:
            return f"PostgreSQL's {name} is not installed (scripts/system-deps.sh installs it)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no `postgres` user to run the server as"
    return None


class Server:
    """One server: `start()`, then `database()` for each fresh database, then `stop()`."""

    def __init__(self, settings: dict[str, str] | None = None) -> None:
        self.settings = {
            # a throwaway server: durability is no concern, speed is
            "fsync": "off",
            "full_page_writes": "off",
            "synchronous_commit": "off",
            "max_connections": "100",
            **(settings or {}),
        }
        self.folder: Path | None = None
        self._names = itertools.count(1)

    def _as_server_user(self) -> list[str]:
        return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _run(self, *args: str | Path, **kw) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*self._as_server_user(), *map(str, args)],
            check=True,
            capture_output=True,
            text=True,
            timeout=180,
            **kw,
        )

    @property
    def data(self) -> Path:
        assert self.folder is not None
        return self.folder / "data"

    def start(self) -> None:
        initdb = postgres_bin("initdb")
        assert initdb is not None and postgres_bin("pg_ctl") is not None, missing()
        # /tmp itself: a Unix socket's path is limited to about 100 bytes
        self.folder = Path(tempfile.mkdtemp(prefix="report-pg-", dir="/tmp"))
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(self.folder, user.pw_uid, user.pw_gid)
        os.chmod(self.folder, 0o700)
        self._run(
            initdb, "-D", self.data, "-U", "report", "--auth=trust", "-E", "UTF8",
            "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        self._pg_ctl("start")

    def restart(self) -> None:
        """Stop and start again: the server's own buffers start empty (the system's file
        cache does not)."""
        self._pg_ctl("restart")

    def _pg_ctl(self, action: str) -> None:
        pg_ctl = postgres_bin("pg_ctl")
        assert self.folder is not None and pg_ctl is not None
        options = " ".join(
            [f"-c listen_addresses='' -k {self.folder}"]
            + [f"-c {k}={v}" for k, v in self.settings.items()]
        )
        try:
            self._run(
                pg_ctl, "-D", self.data, "-l", self.folder / "server.log", "-w", "-t", "120",
                "-m", "fast", "-o", options, action,
            )  # fmt: skip
        except subprocess.CalledProcessError as exc:
            log = self.folder / "server.log"
            raise RuntimeError(
                f"PostgreSQL did not start: {exc.stderr}\n{log.read_text() if log.exists() else ''}"
            ) from None

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://report@/{dbname}?host={self.folder}"

    def database(self) -> str:
        """A new, empty database; its URL."""
        import psycopg

        name = f"t{os.getpid()}_{next(self._names)}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        if self.folder is None:
            return
        pg_ctl = postgres_bin("pg_ctl")
        if pg_ctl is not None and (self.data / "postmaster.pid").exists():
            # Its data is deleted next: no shutdown checkpoint to write (a fast stop once
            # took 9 s at the end of the suite on a busy machine).
            self._run(pg_ctl, "-D", self.data, "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder = None

    def __enter__(self) -> Server:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
