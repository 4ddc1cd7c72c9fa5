"""A corpus in PostgreSQL -> a Corpus that reads its sources and text layers from there, so
that verification, search and `find` run unchanged on it (report.verify, report.elsewhere).

The folder the outlines name (their `corpus:`, or `--corpus`) need not exist: it only says
how messages show a source's file (`corpus/article.txt:12:5`), exactly as the folder corpus
shows it, so the findings of a check are the same either way.

The database is the corpus of record. A text layer from the folder's cache is confirmed
against the file's bytes before a quote is reported verified (report.confirm), since
whoever can write a CI cache could forge one; a text layer from the database is not, since
there is no other copy to confirm it against: the database holds, beside each text layer,
the sha256 of the bytes it was read from (a `sha256:` pin in sources.yaml is compared with
it, as with files), and whoever may write the database may change the corpus, as whoever
may write the corpus folder may. Checks connect with a role that can only read
(docs/scaling.md shows the grants).
"""

from __future__ import annotations

import json
import os
import zlib
from pathlib import Path
from typing import Any

from report.cache import CODE_VERSION
from report.corpus import Corpus, SourceText, source_text
from report.database import Snapshot
from report.errors import CorpusError, Location
from report.prepare import decode
from report.sources import SOURCES_FILE, Body, Source


def entry_json(source: Source) -> str:
    """A checked entry of sources.yaml as the database keeps it: without its file's path,
    which depends on where the corpus folder is, nor its span in sources.yaml (only a
    cached entry is read again from there: report.sources.Unconfirmed)."""
    body = source.body
    return json.dumps(
        {
            "line": source.location.line,
            "column": source.location.column,
            "csl": source.csl,
            "sha256": source.sha256,
            "body": None
            if body is None
            else [body.start, body.end, body.location.line, body.location.column],
        },
        sort_keys=True,
    )


def _source(sid: str, file: str, entry: str, root: str, sources_shown: str) -> Source:
    e: dict[str, Any] = json.loads(entry)
    body = None
    if e.get("body"):
        start, end, line, column = e["body"]
        body = Body(start, end, Location(sources_shown, line, column))
    path = Path(os.path.normpath(os.path.join(root, file)))
    return Source(
        sid,
        path,
        file,
        Location(sources_shown, e["line"], e["column"]),
        e.get("csl") or {},
        body,
        e.get("sha256"),
    )


def error_json(exc: CorpusError) -> str:
    """A file's read error as the database keeps it (its location without the file)."""
    loc = exc.location or Location("")
    return json.dumps(
        {"message": exc.message, "line": loc.line, "column": loc.column, "page": loc.page}
    )


class DatabaseCorpus(Corpus):
    """The corpus as one snapshot of the database shows it (report.database.Snapshot)."""

    def __init__(
        self, snapshot: Snapshot, directory: Path, sources: dict[str, Source], sources_file: Path
    ) -> None:
        super().__init__(directory, sources, sources_file)
        self.snapshot = snapshot

    def text(self, source_id: str, keep: bool = True) -> SourceText:
        cached = self._texts.get(source_id)
        if cached is not None:
            return cached
        source = self.sources[source_id]
        shown = os.path.relpath(source.path)
        rows = self.snapshot.query(
            "SELECT sha256, layer_version, layer, error FROM report_texts WHERE source_id = %s",
            (source_id,),
        )
        if not rows:
            raise CorpusError(
                f"source '{source_id}' has no text in the database (run `report ingest` again)",
                source.location,
            )
        sha256, version, layer, error = rows[0]
        if error is not None:
            e = json.loads(error)
            raise CorpusError(e["message"], Location(shown, e["line"], e["column"], e["page"]))
        if version != CODE_VERSION:
            raise CorpusError(
                "the database holds a text layer read by another version of report's readers "
                "(run `report ingest` again with this version)",
                Location(shown),
            )
        try:
            prepared = decode(sha256, zlib.decompress(layer))
        except Exception:  # damage in the database is no text: say so, never guess
            raise CorpusError(
                "the database's text layer of this file is damaged (run `report ingest` again)",
                Location(shown),
            ) from None
        text = source_text(source, shown, prepared, sha256)
        if keep:
            self._texts[source_id] = text
        return text

    def rebuilt(self, source_id: str, data: bytes) -> SourceText:
        raise AssertionError("a text from the database is never rebuilt from a file")

    def prefetch(self, source_ids: list[str]) -> None:
        return None

    def key(self, source_id: str) -> str | None:
        rows = self.snapshot.query(
            "SELECT sha256 FROM report_texts WHERE source_id = %s", (source_id,)
        )
        return rows[0][0] if rows else None

    def read_key(self, source_id: str) -> str | None:
        text = self._texts.get(source_id)
        return text.sha256 if text is not None else None

    def forkable(self) -> bool:
        return True  # each worker connects on its own, to the same snapshot

    def open_index(self):
        from report.database.search import DatabaseIndex

        return DatabaseIndex(self)


def open_corpus(url: str, directory: Path | str, snapshot: Snapshot | None = None) -> Corpus:
    """The corpus in the database at `url`, its files shown as if in `directory`."""
    directory = Path(directory)
    snapshot = snapshot if snapshot is not None else Snapshot(url)
    root = str(directory.resolve())
    sources_file = directory / SOURCES_FILE
    sources_shown = os.path.relpath(sources_file)
    rows = snapshot.query(
        "SELECT source_id, file, entry FROM report_sources ORDER BY ord, source_id"
    )
    sources = {sid: _source(sid, file, entry, root, sources_shown) for sid, file, entry in rows}
    return DatabaseCorpus(snapshot, directory, sources, sources_file)
