"""A Word or Markdown draft -> its attributed quotations, linked to the corpus sources their
notes cite and verified exactly as `report check` verifies an outline's quotes.

The stages: a reader turns the draft into blocks and notes (report.readers.docxdraft,
report.readers.mddraft); report.quotations finds the quotations and the citation after
each; report.notelink says which source each citation names; report.verify checks the
quotations against those sources. The result is one QuoteResult per audited quotation, with
the statuses, closest passages and diffs of `report check`, located in the draft
(`draft.docx:¶12:5`, `fn3:7` in a note), plus two findings only an audit has:
`source_unknown` (the quotation's citation names no single source of the corpus) and
`not_in_corpus` (a citation of a document outside the corpus, listed once, with the
quotations it leaves unchecked).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from report.cache import TextCache, default_cache_dir
from report.corpus import Corpus, load_corpus
from report.draft import Draft, Mark
from report.errors import DraftError, Location, ReportError, ReportErrors
from report.findings import NoteRef, QuoteResult, QuoteWarning, Status, WarningKind
from report.model import Argument, Evidence, Outline, Section
from report.notelink import Cited, Linker
from report.progress import Progress
from report.quotations import SKIPPED, Quotation, find_quotations
from report.quote import quote_problem
from report.verify import verify
from report.yamlfile import shown

MARKDOWN = (".md", ".qmd", ".markdown", ".rmd")
WORD = (".docx",)

# Which of several cited sources a quotation is reported against: the one that has it.
_PREFERENCE = {
    Status.VERIFIED: 0,
    Status.OUTSIDE_BODY: 1,
    Status.SOURCE_CHANGED: 2,
    Status.WRONG_SOURCE: 3,
    Status.MISQUOTE: 4,
}


@dataclass(eq=False)
class Audited:
    """What an audit found: every quotation (those not audited carry why in `skip`) and the
    results, in draft order, each with the quotation it is about (`about`)."""

    draft: Draft
    corpus: Corpus
    quotations: list[Quotation]
    results: list[QuoteResult] = field(default_factory=list)
    about: list[Quotation] = field(default_factory=list)

    def skipped(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for q in self.quotations:
            if q.skip:
                counts[q.skip] = counts.get(q.skip, 0) + 1
        return counts

    @property
    def audited(self) -> int:
        return sum(1 for q in self.quotations if q.audited)

    def notices(self) -> list[str]:
        """What people should know about how the draft was read: what was audited, what
        was not and why, and that tracked changes were read as accepted."""
        draft, n = self.draft, len(self.quotations)
        line = f"{draft.shown}: {n} quotation{'s' if n != 1 else ''}, {self.audited} audited"
        skipped = self.skipped()
        if skipped:
            line += "; not audited: " + ", ".join(
                f"{count} {SKIPPED[reason]}" for reason, count in skipped.items()
            )
            if any(r != "unattributed" for r in skipped):
                line += " (--all audits them)"
        lines = [line]
        if draft.tracked_changes:
            lines.append(
                f"{draft.shown}: audited as it reads with its tracked changes accepted "
                f"({_count(draft.insertions, 'insertion')}, {_count(draft.deletions, 'deletion')})"
            )
        return lines

    def summary_json(self) -> dict[str, object]:
        draft = self.draft
        return {
            "file": draft.shown,
            "quotations": len(self.quotations),
            "audited": self.audited,
            "skipped": self.skipped(),
            "tracked_changes": {
                "accepted": draft.tracked_changes > 0,
                "insertions": draft.insertions,
                "deletions": draft.deletions,
            },
        }


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def read_draft(path: Path) -> Draft:
    """The draft at `path`, read by its suffix."""
    shown_path = str(path)
    suffix = path.suffix.lower()
    if suffix in WORD:
        from report.readers.docxdraft import read_docx_draft

        return read_docx_draft(path, shown_path)
    if suffix in MARKDOWN:
        from report.readers.mddraft import read_markdown_draft

        return read_markdown_draft(path, shown_path)
    raise DraftError(
        "report audit reads Word drafts (.docx) and Markdown drafts (.md, .qmd)",
        Location(shown_path),
    )


def draft_corpus(path: Path) -> Path:
    """The corpus of a draft: corpus/ beside its folder (as for an outline in outlines/),
    beside the draft itself, or in the working folder."""
    here = path.resolve().parent
    tried = [here.parent / "corpus", here / "corpus", Path.cwd() / "corpus"]
    for folder in tried:
        if folder.is_dir():
            return folder
    names = ", ".join(str(f) for f in dict.fromkeys(tried))
    raise DraftError(
        f"no corpus folder (looked for {names}): name one with --corpus", Location(str(path))
    )


def audit(
    path: Path,
    corpus_dir: Path | None = None,
    everything: bool = False,
    progress: Progress | None = None,
    cache_dir: Path | None = None,
    use_cache: bool = True,
) -> Audited:
    """Audit the draft at `path` against its corpus (`corpus_dir`, else draft_corpus);
    `everything` audits short quotations, scare quotes and titles too."""
    if corpus_dir is not None and not corpus_dir.is_dir():
        raise DraftError("the corpus folder does not exist", Location(str(corpus_dir)))
    draft = read_draft(path)
    folder = corpus_dir if corpus_dir is not None else draft_corpus(path)
    cache = TextCache((cache_dir or default_cache_dir(folder)) if use_cache else None)
    corpus = load_corpus(folder, cache)
    titles = [s.title for s in corpus.sources.values()]
    quotations = find_quotations(draft, titles, everything)
    _check_quotes(quotations)
    done = Audited(draft, corpus, quotations)
    _Auditor(done, progress).run()
    return done


def _check_quotes(quotations: list[Quotation]) -> None:
    """A quotation made only of editorial marks is an input error, as in an outline."""
    errors: list[ReportError] = []
    for q in quotations:
        problem = quote_problem(q.text) if q.audited else None
        if problem is not None:
            errors.append(DraftError(problem, q.location))
    if errors:
        raise errors[0] if len(errors) == 1 else ReportErrors(errors)


@dataclass(eq=False)
class _Outside:
    """A document outside the corpus, as first cited."""

    cited: Cited
    location: Location
    first: Quotation
    quotations: int = 0


class _Auditor:
    def __init__(self, done: Audited, progress: Progress | None) -> None:
        self.done = done
        self.draft = done.draft
        self.progress = progress
        self.linker = Linker(done.corpus)
        notes = [(n.key, n.text, n.urls) for n in self.draft.notes.values()]
        self.note_links = self.linker.link_notes(notes)

    def run(self) -> None:
        audited = [q for q in self.done.quotations if q.audited]
        # Each quotation: (its citations, where they are), then the sources to check it in.
        plans: list[tuple[Quotation, list[Cited], Location, list[str]]] = []
        for q in audited:
            assert q.citation is not None
            cites, where = self._cited(q, q.citation)
            sources = list(dict.fromkeys(c.source for c in cites if c.source))
            plans.append((q, cites, where, sources))
        evidence = [
            Evidence(source=sid, quote=q.text, location=q.location, source_location=where)
            for q, _, where, sources in plans
            for sid in sources
        ]
        verified = iter(self._verify(evidence))
        outside: dict[str, _Outside] = {}
        entries: list[tuple[QuoteResult | _Outside, Quotation]] = []
        for q, cites, where, sources in plans:
            if sources:
                tried = [next(verified) for _ in sources]
                best = min(tried, key=_rank)
                note = NoteRef(_cited_text(cites, best.evidence.source), where)
                entries.append((replace(best, note=note), q))
                continue
            unknown = [c for c in cites if not c.outside]
            if unknown:
                c = unknown[0]
                note = NoteRef(c.text, where, c.candidates, c.reason)
                ev = Evidence(source="", quote=q.text, location=q.location, source_location=where)
                entries.append((QuoteResult(ev, Status.SOURCE_UNKNOWN, note=note), q))
                continue
            for c in cites:
                key = " ".join(c.work.casefold().split())
                if key not in outside:
                    outside[key] = _Outside(c, where, q)
                    entries.append((outside[key], q))
                outside[key].quotations += 1
        for entry, q in entries:
            result = _outside_result(entry) if isinstance(entry, _Outside) else entry
            self.done.results.append(result)
            self.done.about.append(q)

    def _cited(self, q: Quotation, mark: Mark) -> tuple[list[Cited], Location]:
        """The citations that attribute a quotation, and where they are in the draft."""
        block = self.draft.blocks[q.block]
        if not mark.is_note:
            return self.linker.link(mark.text), block.locate(mark.start)
        note = self.draft.notes.get(mark.key)
        if note is None:  # a reference to a note the file does not have
            where = block.locate(mark.start)
            return [Cited("", reason="the note it refers to is missing from the file")], where
        return self.note_links[note.key], note.location

    def _verify(self, evidence: list[Evidence]) -> list[QuoteResult]:
        if not evidence:
            return []
        here = Location(self.draft.shown)
        argument = Argument("", here, evidence=tuple(evidence))
        outline = Outline(  # the quotations as one outline's evidence, for report.verify
            path=self.draft.path,
            title=self.draft.shown,
            sections=(Section("", here, arguments=(argument,)),),
            corpus_dir=self.done.corpus.directory,
            location=here,
        )
        return verify([outline], self.done.corpus, self.progress)[0]


def _rank(result: QuoteResult) -> tuple[int, float]:
    closest = result.closest or result.closest_corpus
    return _PREFERENCE.get(result.status, 5), -(closest.score if closest else 0.0)


def _cited_text(cites: list[Cited], source: str) -> str:
    for c in cites:
        if c.source == source:
            return c.text
    return cites[0].text if cites else ""


def _outside_result(entry: _Outside) -> QuoteResult:
    n = entry.quotations
    text = entry.cited.text
    message = (
        f"cites a document that is not in the corpus: '{shown(text, 120)}'; "
        f"{n} quotation{'s' if n != 1 else ''} attributed to it not checked"
    )
    ev = Evidence(
        source="", quote=entry.first.text, location=entry.location, source_location=entry.location
    )
    return QuoteResult(
        ev,
        Status.NOT_IN_CORPUS,
        warnings=(QuoteWarning(WarningKind.NOT_IN_CORPUS, message),),
        note=NoteRef(text, entry.location),
    )
