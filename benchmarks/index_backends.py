"""The paragraphs of a benchmark corpus -> SQLite FTS5 (report.index.Fts5Index) against
Tantivy (the `tantivy` package) as the passage index: build time, size on disk, and the time
of the phrase queries a misquote asks, with the hits of both compared.

    python benchmarks/index_backends.py                   # realistic 100 MB, 1,000 quotes
    python benchmarks/index_backends.py --size-mb 10

Paragraphs are the files' blank-line-separated blocks, lines joined (the same input for
both). Both tokenise into letters and digits, lower-cased, without diacritics (FTS5's
unicode61 with remove_diacritics 2; Tantivy's simple tokenizer with the lowercase and
ascii_fold filters). Each query is a quote's first 8 words as one phrase, as
`report.elsewhere` asks the index for a misquote's other occurrences; verbatim quotes find
their paragraph, changed ones mostly nothing. CPU and wall-clock seconds, best of --repeat.
Tantivy is optional (`pip install tantivy`): it is not a dependency of report.

Then the alternative to any index for a handful of misquotes (`--scan`): one pass of a
multi-pattern scan (pyahocorasick) over every file for each changed quote's three
longest words, a file holding two of them being a candidate for its closest passage; the
time of that pass, the candidates per quote, and how often the quote's own source is one.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import time
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from benchmarks.generate import DATA, generate  # noqa: E402
from report.index import Fts5Index  # noqa: E402

_TOKEN = re.compile(r"[^\W_]+")


def paragraphs(corpus: Path) -> list[tuple[str, list[str]]]:
    out = []
    for path in sorted(corpus.iterdir()):
        if path.suffix in (".md", ".txt"):
            text = path.read_text(encoding="utf-8")
            blocks = [" ".join(b.split()) for b in re.split(r"\n\s*\n", text) if b.strip()]
            out.append((path.name, blocks))
    return out


def _clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def _since(start: tuple[float, float]) -> tuple[float, float]:
    return time.perf_counter() - start[0], time.process_time() - start[1]


def _size(path: Path) -> int:
    if path.is_file():
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def build_fts5(docs, where: Path) -> tuple[tuple[float, float], Fts5Index]:
    path = where / "fts5.sqlite"
    start = _clock()
    index = Fts5Index(path)
    index.bulk(True)
    for key, paras in docs:
        index.add(key, paras)
    index.commit()
    index.bulk(False)
    return _since(start), index


def _fold(word: str) -> str:
    return "".join(
        c for c in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(c)
    )


def build_tantivy(docs, where: Path, threads: int):
    import tantivy

    path = where / "tantivy"
    path.mkdir()
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("body", stored=False, tokenizer_name="folded", index_option="position")
    builder.add_unsigned_field("doc", stored=True, indexed=False, fast=True)
    builder.add_unsigned_field("para", stored=True, indexed=False, fast=True)
    schema = builder.build()
    start = _clock()
    index = tantivy.Index(schema, path=str(path))
    analyzer = (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .build()
    )
    index.register_tokenizer("folded", analyzer)
    writer = index.writer(heap_size=256_000_000, num_threads=threads)
    for n, (_, paras) in enumerate(docs):
        for k, p in enumerate(paras):
            doc = tantivy.Document()
            doc.add_text("body", p)
            doc.add_unsigned("doc", n)
            doc.add_unsigned("para", k)
            writer.add_document(doc)
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    return _since(start), index, schema


def queries(folder: Path) -> list[list[str]]:
    out = []
    for line in (folder / "quotes.txt").read_text(encoding="utf-8").splitlines():
        words = _TOKEN.findall(line)[:8]
        if len(words) >= 4:
            out.append(words)
    return out


def direct_scan(corpus: Path, folder: Path) -> dict:
    """Candidate files for each changed quote by a scan for its longest words."""
    import json

    import ahocorasick

    expected = json.loads((folder / "expected.json").read_text())
    lines = (folder / "quotes.txt").read_text(encoding="utf-8").splitlines()
    changed = [(q, e["source"]) for q, e in zip(lines, expected, strict=True) if e["mutated"]]
    start = _clock()
    auto = ahocorasick.Automaton()
    wanted = []
    for n, (quote, _) in enumerate(changed):
        words = sorted({w.lower() for w in _TOKEN.findall(quote)}, key=lambda w: (-len(w), w))[:3]
        wanted.append(words)
        for k, w in enumerate(words):
            if w in auto:
                auto.get(w).append((n, k))
            else:
                auto.add_word(w, [(n, k)])
    auto.make_automaton()
    hits: list[dict[str, set[int]]] = [{} for _ in changed]
    for path in sorted(corpus.iterdir()):
        if path.suffix not in (".md", ".txt"):
            continue
        data = path.read_text(encoding="utf-8").lower()  # this build of pyahocorasick: str
        for _, found in auto.iter(data):
            for n, k in found:
                hits[n].setdefault(path.stem, set()).add(k)
    wall, cpu = _since(start)
    candidates = [[f for f, words in h.items() if len(words) >= 2] for h in hits]
    found = sum(1 for (_, src), c in zip(changed, candidates, strict=True) if src in c)
    return {
        "quotes": len(changed),
        "scan": (wall, cpu),
        "candidates": sorted(len(c) for c in candidates),
        "own_source": found,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=float, default=100)
    parser.add_argument("--quotes", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--scan", action="store_true", help="only the direct scan")
    args = parser.parse_args()
    corpus = generate(args.size_mb, [args.quotes], args.data)
    if args.scan:
        r = direct_scan(corpus, args.data / f"{corpus.name}-q{args.quotes}")
        c = r["candidates"]
        print(
            f"direct scan of {corpus.name} for {r['quotes']} changed quotes' three longest words:"
            f" {r['scan'][0]:.2f} s wall, {r['scan'][1]:.2f} s CPU; candidate files a quote:"
            f" median {c[len(c) // 2]}, max {c[-1]}; own source a candidate for"
            f" {r['own_source']} of {r['quotes']}"
        )
        return
    docs = paragraphs(corpus)
    mb = sum(len(p.encode()) for _, ps in docs for p in ps) / 1e6
    qs = queries(args.data / f"{corpus.name}-q{args.quotes}")
    where = args.data / ".index-backends"
    results = {}
    fts_hits: list[set] = []
    tan_hits: list[set] = []
    for backend in ("fts5", "tantivy"):
        builds = []
        for _ in range(args.repeat):
            shutil.rmtree(where, ignore_errors=True)
            where.mkdir(parents=True)
            if backend == "fts5":
                took, index = build_fts5(docs, where)
                size = _size(where / "fts5.sqlite")
            else:
                took, index, schema = build_tantivy(docs, where, os.cpu_count() or 1)
                size = _size(where / "tantivy")
            builds.append(took)
        keys = {key: n for n, (key, _) in enumerate(docs)}
        start = _clock()
        hits = []
        for words in qs:
            if backend == "fts5":
                found = index.containing(words, 500)
                hits.append({(keys[h.key], h.paragraph) for h in found})
            else:
                import tantivy

                query = tantivy.Query.phrase_query(schema, "body", [_fold(w) for w in words])
                searcher = index.searcher()
                found = searcher.search(query, 500).hits
                hits.append(
                    {(searcher.doc(a)["doc"][0], searcher.doc(a)["para"][0]) for _, a in found}
                )
        q_wall, q_cpu = _since(start)
        (fts_hits if backend == "fts5" else tan_hits).extend(hits)
        results[backend] = {
            "build": (min(b[0] for b in builds), min(b[1] for b in builds)),
            "size": size,
            "query_ms": (q_wall / len(qs) * 1000, q_cpu / len(qs) * 1000),
            "found": sum(1 for h in hits if h),
        }
    same = sum(1 for a, b in zip(fts_hits, tan_hits, strict=True) if a == b)
    print(f"passage index back ends on {mb:.0f} MB of paragraphs ({len(docs)} files), "
          f"{len(qs)} phrase queries of up to 8 words; wall / CPU")  # fmt: skip
    for name, r in results.items():
        print(
            f"  {name:<8} build {r['build'][0]:6.1f} / {r['build'][1]:6.1f} s"
            f"   size {r['size'] / 1e6:6.1f} MB ({r['size'] / 1e6 / mb:.2f}x the text)"
            f"   phrase query {r['query_ms'][0]:6.2f} / {r['query_ms'][1]:6.2f} ms"
            f"   queries with hits {r['found']}"
        )
    print(f"  same hits for {same} of {len(qs)} queries")


if __name__ == "__main__":
    main()
