"""A PostgreSQL URL -> a connection to report's corpus there (report/data/schema.sql), and the
one consistent view of it that a whole run reads.

A corpus in PostgreSQL is the corpus of record: `report ingest` (report.database.ingest)
writes it from a corpus folder, and `report check|build|find --database URL` read it as they
would read the folder (report.database.corpus, report.database.search). A run reads every
row inside one REPEATABLE READ, read-only transaction whose snapshot its forked workers
import, so a run never sees a source half-written, nor one source before an ingest and
another after it.
"""

from __future__ import annotations

import os
import re
from importlib import resources

from report.errors import Location, ReportError
from report.parallel import inherited

DATABASE_ENV = "REPORT_DATABASE_URL"
SCHEMA_VERSION = "1"
CONNECT_TIMEOUT = 10  # seconds: a server that does not answer is an input error, not a hang


class DatabaseError(ReportError):
    """The database cannot be reached, or holds no corpus of this version."""


def shown_url(url: str) -> str:
    """The URL as messages show it: without its password."""
    url = re.sub(r"(://[^:/@?#]*):[^@/?#]*@", r"\1:***@", url)
    return re.sub(r"(?i)(password=)[^&\s]*", r"\1***", url)


def _psycopg():
    try:
        import psycopg
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise DatabaseError(f"psycopg is not installed ({exc})") from None
    return psycopg


def connect(url: str, autocommit: bool = False):
    """A connection to `url` (any libpq connection string or URL); a DatabaseError, located
    at the URL, when the server cannot be reached or is not a UTF-8 database."""
    psycopg = _psycopg()
    where = Location(shown_url(url))
    try:
        conn = psycopg.connect(
            url, autocommit=autocommit, connect_timeout=CONNECT_TIMEOUT, application_name="report"
        )
    except psycopg.Error as exc:
        raise DatabaseError(f"cannot connect to the database: {_first_line(exc)}", where) from None
    encoding = conn.info.parameter_status("server_encoding")
    if encoding not in ("UTF8", None):
        conn.close()
        raise DatabaseError(
            f"the database's encoding is {encoding}; report needs UTF8 (createdb -E UTF8)", where
        )
    return conn


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]


def schema_sql() -> str:
    return resources.files("report").joinpath("data/schema.sql").read_text("utf-8")


def schema_version(conn) -> str | None:
    """The version of report's schema in the database, None when it has none."""
    exists = conn.execute("SELECT to_regclass('report_meta') IS NOT NULL").fetchone()[0]
    if not exists:
        return None
    row = conn.execute("SELECT v FROM report_meta WHERE k = 'schema_version'").fetchone()
    return row[0] if row else None


def require_schema(conn, url: str) -> None:
    version = schema_version(conn)
    if version is None:
        raise DatabaseError(
            "the database holds no corpus: load one with `report ingest CORPUS_DIR --database URL`",
            Location(shown_url(url)),
        )
    if version != SCHEMA_VERSION:
        raise DatabaseError(
            f"the database's corpus has schema version {version}; this report reads version "
            f"{SCHEMA_VERSION}",
            Location(shown_url(url)),
        )


def create_schema(conn, url: str) -> None:
    """Create report's tables (in one transaction) unless the database has them."""
    version = schema_version(conn)
    if version is None:
        with conn.transaction():
            conn.execute(schema_sql())
            conn.execute(
                "INSERT INTO report_meta VALUES ('schema_version', %s) ON CONFLICT DO NOTHING",
                (SCHEMA_VERSION,),
            )
    require_schema(conn, url)


class Snapshot:
    """One read-only view of the database for a whole run, shared by its forked workers.

    The first process to connect begins a REPEATABLE READ transaction and exports its
    snapshot (pg_export_snapshot); a forked worker opens a connection of its own (one must
    not cross a fork) and imports that snapshot, so every process of the run reads the same
    committed state, whatever an ingest commits meanwhile. The exporting transaction stays
    open until the run ends."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._conn = None
        self._pid = 0
        self._snapshot: str | None = None

    def conn(self):
        if self._conn is not None and self._pid == os.getpid():
            return self._conn
        if self._conn is not None:
            inherited(self._conn)  # the parent's: never closed here
        psycopg = _psycopg()
        conn = connect(self.url)
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        try:
            if self._snapshot is None:
                require_schema(conn, self.url)
                self._snapshot = self._export(conn)
            elif self._snapshot:
                from psycopg import sql

                conn.execute(
                    sql.SQL("SET TRANSACTION SNAPSHOT {}").format(sql.Literal(self._snapshot))
                )
        except psycopg.Error as exc:
            conn.close()
            raise DatabaseError(
                f"cannot read the database: {_first_line(exc)}", Location(shown_url(self.url))
            ) from None
        self._conn, self._pid = conn, os.getpid()
        return conn

    @staticmethod
    def _export(conn) -> str:
        """The transaction's snapshot for the workers to import; "" where the server cannot
        export one (a standby in recovery): then each process reads a snapshot of its own,
        and only each source is sure to be seen whole."""
        psycopg = _psycopg()
        try:  # (not in a savepoint: a snapshot is exported from a top-level transaction)
            return conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        except psycopg.Error:
            conn.rollback()  # the next query begins a transaction of its own
            return ""

    def query(self, statement, params=()) -> list[tuple]:
        """Rows of a read-only query; a DatabaseError when the server fails it."""
        psycopg = _psycopg()
        try:
            return self.conn().execute(statement, params).fetchall()
        except psycopg.Error as exc:
            raise DatabaseError(
                f"the database failed a query: {_first_line(exc)}", Location(shown_url(self.url))
            ) from None

    def close(self) -> None:
        if self._conn is not None and self._pid == os.getpid():
            self._conn.close()
        self._conn = None
