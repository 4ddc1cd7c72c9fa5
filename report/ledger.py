"""Verified quotes -> a quote ledger (W3C Web Annotation JSON-LD) from which anyone can
re-find each quote later; and a ledger -> QuoteResults, re-verified against the corpus.

The ledger is one `AnnotationCollection`; each quote is an `Annotation` (motivation
`quoting`) whose target names the source file and selects the quote twice, as the W3C model
allows (alternatives): a `TextQuoteSelector` (`exact` with 32 characters of `prefix` and
`suffix`) and a `TextPositionSelector` (`start`, `end`). Both refer to the source's text layer
(what `report` reads from the file: markup dropped, PDF hyphenation undone), counted in
Unicode code points. What the W3C model has no term for (source id, sha256 of the file's
bytes, the quote as the outline wrote it, the page it cites, outline and source locations)
sits under `report`.
File paths are relative to the folder the ledger is written into (`base`), so a project and
its ledger can move together.

Re-verifying is `report check`'s (report.verify.verify_quote, the corpus opened as the
check opens it: report.pipeline.Corpora). Of a quote's occurrences, the one the brief meant is
found as annotation tools find it: the recorded position if the text there is still `exact`,
else the occurrence of `exact` whose surroundings best agree with `prefix` and `suffix`. A
source whose bytes differ from the recorded sha256 fails as "source changed", saying whether
the quote can still be found.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from report import __version__
from report.atomic import write_atomic
from report.corpus import Corpus, SourceText
from report.errors import UNIT_NAMES, Location, ReportError, ReportErrors
from report.findings import PROSE_ONLY, QuoteResult
from report.match import Span
from report.model import Evidence, Locator, Outline, Prose
from report.normalize import normalize_text
from report.pipeline import Checked, Corpora
from report.pipeline import check as check_outlines
from report.progress import Progress
from report.quote import quote_problem
from report.verify import Recorded, verify_evidence
from report.yamlfile import one_line, read_bytes, read_text
from report.yamlfile import shown as yamlfile_shown

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
AFFIX = 32  # characters of prefix and suffix, as annotation tools record them
MAX_LEDGER_BYTES = 64 * 1024 * 1024
MAX_OUTPUT_BYTES = 2**30  # a PDF or Word file whose sha256 the ledger checks


class LedgerError(ReportError):
    """A quote ledger cannot be read or is not one `report` wrote."""


def ledger_json(
    outline: Outline,
    results: list[QuoteResult],
    corpus: Corpus,
    base: Path | str = ".",
    name: str | None = None,
    outputs: Sequence[tuple[str, bytes]] = (),
    carried_by: str | None = None,
) -> dict[str, Any]:
    """The ledger of one outline's results; paths relative to `base`, the ledger's folder,
    and annotation ids under `name`, the ledger's file name (NAME.quotes.json by default).
    `outputs` are the files built with it, (name in `base`, bytes): their sha256 is kept,
    so that `verify_ledger` can tell a PDF or Word file of another build. `carried_by` names
    the PDF that embeds this ledger (which cannot record that PDF's own sha256)."""
    name = name or f"{outline.name}.quotes.json"
    claims = _claims(outline)
    sources: dict[str, dict[str, Any]] = {}
    items = []
    quotes = [r for r in results if r.status not in PROSE_ONLY]  # not a paraphrase's citation
    for n, r in enumerate(quotes, 1):
        text = corpus.text(r.evidence.source)
        if text.source.id not in sources:
            sources[text.source.id] = _source_json(text, base)
        items.append(_annotation(f"{name}#q{n}", r, text, claims.get(id(r.evidence)), base))
    return {
        "@context": CONTEXT,
        "id": name,
        "type": "AnnotationCollection",
        "label": f"Quotes in “{outline.title}”",
        "generator": {"type": "Software", "name": f"report {__version__}"},
        "total": len(items),
        "report": {
            "outline": _rel(outline.path, base),
            "corpus": _rel(corpus.directory, base),
            "sources": list(sources.values()),
            **({"outputs": outputs_json(outputs)} if outputs else {}),
            **({"carried_by": carried_by} if carried_by else {}),
        },
        "first": {"id": f"{name}#page1", "type": "AnnotationPage", "items": items},
    }


@dataclass(frozen=True, slots=True)
class Written:
    """What `write_ledger` did: the outline checked and, unless a quote failed, the ledger
    written and how many quotes and sources it holds."""

    checked: Checked
    path: Path | None  # None: a quote failed, nothing was written
    quotes: int = 0
    sources: int = 0


def write_ledger(outline: Path | str, target: Path | None = None) -> Written:
    """Verify `outline`, then write its ledger to `target` (default out/NAME.quotes.json);
    nothing when a quote fails."""
    (checked,) = check_outlines([outline])
    if checked.failed():
        return Written(checked, None)
    target = target or Path("out") / f"{checked.outline.name}.quotes.json"
    doc = ledger_json(
        checked.outline, checked.results, checked.corpus, base=target.parent, name=target.name
    )
    try:
        write_atomic(target, (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode())
    except OSError as exc:
        raise LedgerError(f"cannot write: {exc.strerror}", Location(str(target))) from None
    return Written(checked, target, doc["total"], len(doc["report"]["sources"]))


def _claims(outline: Outline) -> dict[int, str]:
    """What each quote supports, by id of its evidence (and of its alternates): an evidence
    item's claim; for a quotation in the author's prose, the paragraph it stands in."""
    out: dict[int, str] = {}

    def put(ev: Evidence, text: str) -> None:
        for e in (ev, *ev.alternates):
            out[id(e)] = " ".join(text.split())

    for section in outline.sections:
        for arg in section.arguments:
            for ev in arg.evidence:
                put(ev, str(arg.claim))
    for item in outline.walk():
        if isinstance(item, Prose):
            for para in item.paras:
                for q in para.quotations():
                    if q.evidence is not None:
                        put(q.evidence, para.plain)
    return out


def outputs_json(outputs: Sequence[tuple[str, bytes]]) -> list[dict[str, str]]:
    return [{"file": name, "sha256": hashlib.sha256(data).hexdigest()} for name, data in outputs]


def _rel(path: Path | str, base: Path | str) -> str:
    return Path(os.path.relpath(Path(path).resolve(), Path(base).resolve())).as_posix()


def _source_json(text: SourceText, base: Path | str) -> dict[str, Any]:
    s = text.source
    out: dict[str, Any] = {"id": s.id, "file": _rel(s.path, base), "sha256": text.sha256}
    out["title"] = s.title
    if s.csl.get("URL"):
        out["url"] = s.csl["URL"]
    return out


def _annotation(
    iri: str, r: QuoteResult, text: SourceText, claim: str | None, base: Path | str
) -> dict[str, Any]:
    ev = r.evidence
    target: dict[str, Any] = {"source": _rel(text.source.path, base)}
    own: dict[str, Any] = {
        "status": r.status.value,
        "source": ev.source,
        "sha256": text.sha256,
        "quote": ev.quote,
        "outline": _location(ev.location, base),
    }
    if ev.speaker:
        own["speaker"] = ev.speaker
    if ev.locator is not None:  # the page the brief cites is checked again (wrong page)
        own["locator"] = {"label": ev.locator.label, "value": ev.locator.value}
    m = r.match
    if m is not None and m.source_id == ev.source:
        layer = text.layer.text
        start, end = text.norm.map(m.start), text.norm.map(m.end)
        target["selector"] = [
            {
                "type": "TextQuoteSelector",
                "exact": layer[start:end],
                "prefix": layer[max(0, start - AFFIX) : start],
                "suffix": layer[end : end + AFFIX],
            },
            {"type": "TextPositionSelector", "start": start, "end": end},
        ]
        own["location"] = _location(m.location, base)
        own["paragraph"] = m.paragraph + 1
    annotation: dict[str, Any] = {"id": iri, "type": "Annotation", "motivation": "quoting"}
    if claim:
        annotation["body"] = {"type": "TextualBody", "value": claim, "purpose": "commenting"}
    annotation["target"] = target
    annotation["report"] = own
    return annotation


def _location(loc: Location, base: Path | str) -> dict[str, Any]:
    out: dict[str, Any] = {"file": _rel(loc.file, base), "line": loc.line, "column": loc.column}
    if loc.page:
        out["page"] = loc.page
    if loc.unit:
        out["unit"] = UNIT_NAMES.get(loc.unit, loc.unit)
    return out


# -- re-verification -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Entry:
    evidence: Evidence
    file: str
    sha256: str | None
    exact: str | None
    prefix: str
    suffix: str
    position: tuple[int, int] | None

    def recorded(self, ledger: str) -> Recorded:
        """What the ledger recorded of the quote, for report.verify."""
        meant = None
        if self.exact:
            selectors = (self.exact, self.prefix, self.suffix, self.position)
            meant = functools.partial(_meant, selectors)
        return Recorded(ledger, self.file, self.sha256, meant)


def verify_ledgers(
    paths: Sequence[Path],
    corpus_dir: Path | None = None,
    progress: Progress | None = None,
    cache_dir: Path | None = None,
    use_cache: bool = True,
    database: str | None = None,
) -> list[QuoteResult]:
    """The quotes of every ledger at `paths`, re-verified as `verify_ledger` does; the
    corpora are opened as `report check` opens them (report.pipeline.Corpora)."""
    corpora = Corpora(cache_dir, use_cache, database)
    return [r for path in paths for r in verify_ledger(path, corpus_dir, corpora, progress)]


def verify_ledger(
    path: Path | str,
    corpus_dir: Path | None = None,
    corpora: Corpora | None = None,
    progress: Progress | None = None,
) -> list[QuoteResult]:
    """Re-verify every quote of the ledger at `path` in the corpus it names (or
    `corpus_dir`), opened by `corpora` (default: through the cache beside it). A ledger is
    input like an outline: anything it holds that report would not have written (a wrong
    type, a number out of range, a quote the outline's rules refuse) is an input error
    naming the annotation and its JSON path."""
    path = Path(path)
    shown = str(path)
    if path.suffix.lower() == ".pdf":  # a brief that carries its ledger
        raw = carried_ledger(path)
        shown = f"{path} (its ledger)"
    else:
        raw = read_bytes(path, LedgerError, MAX_LEDGER_BYTES)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise LedgerError("not UTF-8 text", Location(shown)) from None
    doc = _load_json(path, shown, text)
    if not isinstance(doc, dict) or doc.get("type") != "AnnotationCollection":
        raise LedgerError("not a quote ledger (no AnnotationCollection)", Location(shown))
    here = path.parent
    own = doc.get("report")
    items = (doc.get("first") or {}).get("items") if isinstance(doc.get("first"), dict) else None
    if not isinstance(own, dict) or not isinstance(own.get("corpus"), str) or items is None:
        raise LedgerError("not a quote ledger written by report", Location(shown))
    if not isinstance(items, list):
        raise LedgerError(f"`first.items` must be a list, not {_kind(items)}", Location(shown))
    corpus_name = own["corpus"]
    if not corpus_name or not one_line(corpus_name):
        raise LedgerError(
            f"`report.corpus` must be a folder name, not '{yamlfile_shown(corpus_name)}'",
            Location(shown),
        )
    check_outputs(own.get("outputs"), here, shown)
    if path.suffix.lower() != ".pdf":  # read from the carrier itself: nothing to compare
        check_carrier(own.get("carried_by"), here, raw, shown)
    entries = [_entry(item, n, here, shown) for n, item in enumerate(items, 1)]
    corpora = corpora if corpora is not None else Corpora()
    corpus = corpora.open(corpus_dir if corpus_dir is not None else here / corpus_name)
    evidence = [e.evidence for e in entries]
    return verify_evidence(evidence, corpus, progress, [e.recorded(shown) for e in entries])


_SHA256 = re.compile(r"[0-9a-f]{64}")
_LOCATOR_LABELS = ("page", "paragraph")
_KINDS = {".pdf": "PDF", ".docx": "Word file"}


def check_outputs(outputs: Any, here: Path, shown: str) -> None:
    """The PDF and Word file beside the ledger are the ones it was built with (the sha256
    it recorded); one from another build is an input error, since the ledger's verdicts
    are not about it. A file that is not there is not compared: a ledger may travel
    alone."""
    if outputs is None:
        return
    if not isinstance(outputs, list) or not all(
        isinstance(o, dict)
        and isinstance(o.get("file"), str)
        and _plain_name(o["file"])
        and isinstance(o.get("sha256"), str)
        and _SHA256.fullmatch(o["sha256"])
        for o in outputs
    ):
        raise LedgerError(
            "`report.outputs` must be a list of {file, sha256} (file names in the ledger's folder)",
            Location(shown),
        )
    errors: list[ReportError] = []
    for o in outputs:
        path = here / o["file"]
        actual = _file_sha256(path)
        if actual is not None and actual != o["sha256"]:
            kind = _KINDS.get(path.suffix, "file")
            errors.append(
                LedgerError(
                    f"not the {kind} that {shown} was built with (sha256 {o['sha256'][:12]}… "
                    f"recorded, {actual[:12]}… on disk): the brief and its ledger come from "
                    "different builds; build again",
                    Location(os.path.relpath(path)),
                )
            )
    if errors:
        raise errors[0] if len(errors) == 1 else ReportErrors(errors)


def carried_ledger(pdf: Path) -> bytes:
    """The quote ledger a brief's PDF carries as an embedded file (`NAME.quotes.json`)."""
    from pypdf import PdfReader  # only here: most runs never read a PDF's attachments
    from pypdf.errors import PyPdfError

    where = Location(str(pdf))
    if _file_sha256(pdf) is None:
        raise LedgerError("no such file", where)
    try:
        attachments = PdfReader(pdf).attachments
        found = [
            data
            for name in attachments
            if name.endswith(".quotes.json")
            for data in attachments[name]
        ]
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise LedgerError(f"not a PDF report can read: {exc}", where) from None
    if len(found) != 1:
        what = "no quote ledger" if not found else f"{len(found)} quote ledgers"
        raise LedgerError(
            f"the PDF carries {what} (a brief built with --pdf-variant pdf/a-1b or pdf/a-2b "
            "carries none: check its .quotes.json)",
            where,
        )
    if len(found[0]) > MAX_LEDGER_BYTES:
        raise LedgerError("the ledger it carries is too large", where)
    return found[0]


def check_carrier(carrier: Any, here: Path, ledger: bytes, shown: str) -> None:
    """The PDF that carries this ledger, when it is beside it, carries these very bytes: a
    PDF of another build carries another ledger (its quotes, its Word file's sha256)."""
    if carrier is None:
        return
    if not isinstance(carrier, str) or not _plain_name(carrier):
        raise LedgerError("`report.carried_by` must be a file name in the ledger's folder",
                          Location(shown))  # fmt: skip
    path = here / carrier
    if _file_sha256(path) is None:
        return  # a ledger may travel alone
    if carried_ledger(path) != ledger:
        raise LedgerError(
            f"not the PDF that {shown} was built with (it carries another quote ledger): the "
            "brief and its ledger come from different builds; build again",
            Location(os.path.relpath(path)),
        )


def _plain_name(name: str) -> bool:
    """A file name in the ledger's own folder: no path, nothing that leads elsewhere."""
    return one_line(name) and Path(name).name == name and name not in ("", ".", "..")


def _file_sha256(path: Path) -> str | None:
    """The sha256 of a regular file's bytes; None when there is no such file."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise LedgerError(f"cannot read: {exc.strerror}", Location(str(path))) from None
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise LedgerError("not a regular file", Location(str(path)))
        if info.st_size > MAX_OUTPUT_BYTES:
            raise LedgerError(
                f"larger than {MAX_OUTPUT_BYTES // 2**30} GB: not a brief report built",
                Location(str(path)),
            )
        return hashlib.file_digest(fh, "sha256").hexdigest()


def _load_json(path: Path, shown: str, text: str | None = None) -> Any:
    """The ledger's JSON (`text`, else the file's), with what the json module accepts but
    JSON does not (NaN, Infinity) and what it cannot take (nesting a thousand deep, numbers
    of thousands of digits) refused as input errors."""
    if text is None:
        text = read_text(path, LedgerError, MAX_LEDGER_BYTES)

    def constant(name: str) -> Any:
        raise LedgerError(f"not JSON: {name} is not a JSON number", Location(shown))

    try:
        return json.loads(text, parse_constant=constant)
    except json.JSONDecodeError as exc:
        raise LedgerError(f"not JSON: {exc.msg}", Location(shown, exc.lineno, exc.colno)) from None
    except RecursionError:
        raise LedgerError("not a quote ledger: nested too deeply", Location(shown)) from None
    except ValueError as exc:  # e.g. an integer of more digits than Python converts
        raise LedgerError(f"not JSON: {yamlfile_shown(str(exc), 120)}", Location(shown)) from None


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return yamlfile_shown(json.dumps(value, ensure_ascii=False), 40)


class _Fields:
    """The typed fields of one annotation; a missing or mistyped one is an input error
    naming the annotation and the JSON path of the field."""

    def __init__(self, n: int, shown: str) -> None:
        self.n, self.shown = n, shown

    def error(self, path: str, what: str) -> LedgerError:
        at = f"first.items[{self.n - 1}]{'.' if path else ''}{path}"
        return LedgerError(f"annotation {self.n}: {what} (at {at})", Location(self.shown))

    def object(self, parent: dict[str, Any], key: str, path: str, required: bool) -> dict:
        value = parent.get(key)
        if value is None and not required:
            return {}
        if not isinstance(value, dict):
            raise self.error(path, f"`{path}` must be an object, not {_kind(value)}")
        return value

    def text(self, parent: dict[str, Any], key: str, path: str, required: bool) -> str | None:
        value = parent.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, str):
            raise self.error(path, f"`{path}` must be text, not {_kind(value)}")
        return value

    def count(self, parent: dict[str, Any], key: str, path: str, required: bool) -> int:
        """A whole number >= 0 (a line, a column, an offset): not 1e400, not true, not -1."""
        value = parent.get(key)
        if value is None and not required:
            return 0
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self.error(path, f"`{path}` must be a whole number >= 0, not {_kind(value)}")
        return value


def _entry(item: Any, n: int, here: Path, shown: str) -> _Entry:
    f = _Fields(n, shown)
    if not isinstance(item, dict) or not isinstance(item.get("report"), dict):
        raise f.error("", "not an annotation written by report")
    own = item["report"]
    source = f.text(own, "source", "report.source", required=True)
    quote = f.text(own, "quote", "report.quote", required=True)
    assert source is not None and quote is not None
    if not source.strip() or not one_line(source):
        raise f.error("report.source", f"`report.source` must be a source id, not {_kind(source)}")
    quote = quote.strip()
    # The outline's rules, as the outline loader applies them: a ledger is no way around them.
    problem = "'quote' is empty" if not quote else quote_problem(quote)
    if problem is not None:
        raise f.error("report.quote", problem)
    outline = f.object(own, "outline", "report.outline", required=True)
    file = f.text(outline, "file", "report.outline.file", required=True)
    assert file is not None
    if "\x00" in file:
        raise f.error("report.outline.file", "`report.outline.file` is not a valid file name")
    where = Location(
        os.path.relpath(here / file),
        f.count(outline, "line", "report.outline.line", required=False),
        f.count(outline, "column", "report.outline.column", required=False),
    )
    speaker = f.text(own, "speaker", "report.speaker", required=False)
    locator = _locator(f, f.object(own, "locator", "report.locator", required=False), where)
    sha = f.text(own, "sha256", "report.sha256", required=False)
    if "target" not in item:
        raise f.error("target", "no target")
    target = f.object(item, "target", "target", required=True)
    target_file = f.text(target, "source", "target.source", required=False) or ""
    selectors = target.get("selector") or []
    if isinstance(selectors, dict):
        selectors = [selectors]
    if not isinstance(selectors, list):
        raise f.error(
            "target.selector", f"`target.selector` must be a list, not {_kind(selectors)}"
        )
    exact, prefix, suffix, position = None, "", "", None
    for k, selector in enumerate(selectors):
        at = f"target.selector[{k}]"
        if not isinstance(selector, dict):
            raise f.error(at, f"a selector must be an object, not {_kind(selector)}")
        kind = selector.get("type")
        if kind == "TextQuoteSelector":
            exact = f.text(selector, "exact", f"{at}.exact", required=False) or None
            prefix = f.text(selector, "prefix", f"{at}.prefix", required=False) or ""
            suffix = f.text(selector, "suffix", f"{at}.suffix", required=False) or ""
        elif kind == "TextPositionSelector":
            start = f.count(selector, "start", f"{at}.start", required=True)
            stop = f.count(selector, "end", f"{at}.end", required=True)
            if stop < start:
                raise f.error(
                    at, f"TextPositionSelector `end` ({stop}) is before `start` ({start})"
                )
            position = (start, stop)
    evidence = Evidence(source, quote, where, where, speaker, locator)
    return _Entry(evidence, target_file, sha, exact, prefix, suffix, position)


def _locator(f: _Fields, given: dict[str, Any], where: Location) -> Locator | None:
    """The page or paragraph the brief cites for the quote (`report.locator`), as the
    outline loader takes it."""
    if not given:
        return None
    label = f.text(given, "label", "report.locator.label", required=True)
    if label not in _LOCATOR_LABELS:
        what = f"`report.locator.label` must be page or paragraph, not {_kind(label)}"
        raise f.error("report.locator.label", what)
    value = (f.text(given, "value", "report.locator.value", required=True) or "").strip()
    if not value or not one_line(value) or len(value) > 40:
        raise f.error(
            "report.locator.value",
            f"`report.locator.value` must be a {label} number such as 12, 12-13 or iv, "
            f"not {_kind(value)}",
        )
    return Locator(str(label), value, where)


def _meant(
    selectors: tuple[str, str, str, tuple[int, int] | None], text: SourceText
) -> Span | None:
    """The occurrence the brief meant (`anchor` by the selectors: exact, prefix, suffix,
    position), in the text's normalised offsets, where the quote's matches are
    (report.match)."""
    span = anchor(text, *selectors)
    if span is None:
        return None
    inverse = text.norm.map.inverse
    return inverse(span[0]), inverse(span[1])


def anchor(
    text: SourceText,
    exact: str,
    prefix: str = "",
    suffix: str = "",
    position: tuple[int, int] | None = None,
) -> tuple[int, int] | None:
    """Where `exact` is in the text layer: the recorded position if it still holds `exact`,
    else the occurrence whose surroundings best agree with prefix and suffix (nearest to the
    recorded position on a tie); failing that, the same search on normalised text."""
    layer = text.layer.text
    if position is not None:
        start, end = position
        if 0 <= start <= end <= len(layer) and layer[start:end] == exact:
            return start, end
    spans = _occurrences(layer, exact)
    if not spans:  # white space or typography read differently: compare normalised text
        norm = normalize_text(exact)
        spans = [
            (text.norm.map(s), text.norm.map(t)) for s, t in _occurrences(text.norm.text, norm)
        ]
    if not spans:
        return None
    near = position[0] if position else 0

    def fit(span: tuple[int, int]) -> tuple[int, int]:
        before = layer[max(0, span[0] - len(prefix)) : span[0]]
        after = layer[span[1] : span[1] + len(suffix)]
        agree = _common_suffix(before, prefix) + _common_prefix(after, suffix)
        return agree, -abs(span[0] - near)

    return max(spans, key=fit)


def _occurrences(haystack: str, needle: str) -> list[tuple[int, int]]:
    out = []
    i = haystack.find(needle) if needle else -1
    while i >= 0:
        out.append((i, i + len(needle)))
        i = haystack.find(needle, i + 1)
    return out


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])
