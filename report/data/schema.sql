-- report's corpus in PostgreSQL (report/database). Schema version 1. Plain PostgreSQL 12 or
-- later: no extension is needed.
--
-- Every table is keyed by source id first, so that the three can be distributed by it
-- (Citus create_distributed_table(..., 'source_id'), colocated) or partitioned by hash of
-- it: everything a named-source verification reads is one source's rows, and the search
-- queries join a paragraph only to its own source's row (docs/scaling.md).
--
-- `report ingest` creates this schema when the database has none, and refuses a database
-- that holds another version of it.

CREATE TABLE IF NOT EXISTS report_meta (
    k text PRIMARY KEY,
    v text NOT NULL
);

-- One row per entry of sources.yaml, in its order (`ord`): what Corpus.sources holds.
CREATE TABLE IF NOT EXISTS report_sources (
    source_id text PRIMARY KEY,
    ord integer NOT NULL,          -- position in sources.yaml (corpus order)
    file text NOT NULL,            -- `file:` as written in sources.yaml
    entry text NOT NULL,           -- the checked entry as JSON: citation fields, body marks,
                                   -- pin, and where it stands in sources.yaml
    ingested_at timestamptz NOT NULL DEFAULT now()
);

-- One row per source: its text layer, as report.cache encodes it, zlib-compressed by the
-- client (so the server spends no CPU on it), and the sha256 of the bytes it was read from.
CREATE TABLE IF NOT EXISTS report_texts (
    source_id text PRIMARY KEY,
    sha256 text NOT NULL,          -- of the source file's bytes
    reader text NOT NULL,          -- report.readers.reader_tag of the file ('' for text)
    layer_version text NOT NULL,   -- report.cache.CODE_VERSION of the code that read it
    size bigint NOT NULL,          -- bytes of the source file
    layer bytea,                   -- NULL when the file could not be read (see error)
    error text                     -- why the file could not be read, as JSON
);
ALTER TABLE report_texts ALTER COLUMN layer SET STORAGE EXTERNAL;

-- One row per non-empty paragraph (a paragraph of more than PART_WORDS words: one row per
-- overlapping part): its words, lower-cased, each between single spaces (' the president
-- said '), so that a phrase of words is a substring (LIKE decides) and the GIN index of
-- their tsvector finds the rows that may hold it (phraseto_tsquery). The text itself is
-- read from report_texts.
CREATE TABLE IF NOT EXISTS report_paragraphs (
    source_id text NOT NULL,
    k integer NOT NULL,            -- paragraph number in the source's text layer
    part integer NOT NULL,         -- 0, or the part of a long paragraph
    words text NOT NULL,
    -- kept, not computed again for every candidate row a search rechecks (3x faster)
    tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, words)) STORED,
    PRIMARY KEY (source_id, k, part)
);
-- `report ingest` drops this index to load an empty table and builds it at the end.
CREATE INDEX IF NOT EXISTS report_paragraphs_words ON report_paragraphs USING gin (tsv);
