"""report.closest: the closest passage to a misquote is a passage of about the quote's
length, its difference is told in words a reader recognises, and the search stays
near-linear in the quote's length."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

import report.closest as closest_module
from report.closest import closest_passage, word_diff
from report.corpus import build_source_text
from report.diffmark import describe
from report.errors import Location
from report.findings import DiffKind, DiffTag
from report.sources import Source
from tests.quotecheck import Q
from tests.tinycorpus import check_in

# A page's navigation box: one-letter list items and paragraphs (`v t e`), as Wikipedia has.
NAVBOX = """<html><body><h1>Microsoft</h1>
<p>Board members are elected every year at the annual shareholders' meeting using a
majority vote system.</p>
<p>In 2015 the company opened a research laboratory in the city of Cambridge.</p>
<div class="navbox"><ul><li>v</li><li>t</li><li>e</li></ul><p>e</p><p>t</p>
<p>v t e</p><p>Microsoft</p><p> </p></div>
</body></html>
"""


def _text(raw: str, name: str = "a.txt"):
    source = Source("a", Path(name), name, Location("sources.yaml", 1, 1))
    return build_source_text(source, name, raw)


@pytest.mark.parametrize(
    "quote",
    [
        "The partnership between the companies was never profitable for either side.",
        "Board members are elected every two years at the annual shareholders' meeting",
        "Microsoft is a good company",
    ],
)
def test_a_fragment_never_wins_at_100_percent(tmp_path, quote):
    """One-letter paragraphs (`e`, `t`, a navbox's `v t e`) hold a letter of any quote:
    compared as a substring, they matched it perfectly."""
    [result] = check_in(tmp_path, {"a.html": NAVBOX}, Q("a", quote))
    closest = result.closest
    assert closest is not None
    assert closest.passage not in {"e", "t", "v t e", ""}
    assert closest.score < 100


@pytest.mark.parametrize(
    "quote",
    [
        "The partnership between the companies was never profitable for either side.",
        "Board members are elected every two years at the annual shareholders' meeting",
    ],
)
def test_a_quote_of_ten_words_gets_a_passage_of_comparable_length(tmp_path, quote):
    [result] = check_in(tmp_path, {"a.html": NAVBOX}, Q("a", quote))
    closest = result.closest
    assert closest is not None
    assert len(closest.passage.split()) >= len(quote.split()) / 2, closest.passage


def test_a_changed_word_is_shown_in_a_passage_of_the_quote_s_length(tmp_path):
    quote = "Board members are elected every two years at the annual shareholders' meeting"
    [result] = check_in(tmp_path, {"a.html": NAVBOX}, Q("a", quote))
    assert result.closest is not None
    assert result.closest.passage == (
        "Board members are elected every year at the annual shareholders' meeting"
    )


def test_a_paragraph_shorter_than_the_quote_is_compared_whole(tmp_path):
    page = "<p>e</p><p>The council met on Monday and agreed the plan.</p><p>e</p>"
    quote = "The council met on Tuesday and agreed the plan."
    [result] = check_in(tmp_path, {"a.html": page}, Q("a", quote))
    assert result.closest is not None
    assert result.closest.passage == "The council met on Monday and agreed the plan."
    [result] = check_in(tmp_path, {"a.html": "<p>e</p>"}, Q("a", "anything at all"))
    assert result.closest is not None and result.closest.score < 50


@pytest.mark.parametrize(
    ("quote", "source"),
    [
        ("she raised hervoice at the meeting", "she raised her voice at the meeting"),
        ("she raised her voice at the meeting", "she raised hervoice at the meeting"),
        ("a dual use technology", "a dual-use technology"),
    ],
)
def test_spacing_alone_is_punctuation(tmp_path, quote, source):
    [result] = check_in(tmp_path, {"a.txt": f"Intro.\n\nThen {source} again.\n"}, Q("a", quote))
    assert result.closest is not None
    assert result.closest.kind is DiffKind.PUNCTUATION  # "punctuation" in JSON
    assert describe(result.closest.diff) == "punctuation only"


def test_a_changed_letter_is_not_spacing():
    diff = word_diff("she raised his voice", "she raised hisvoice")
    assert describe(diff) == "punctuation only"
    diff = word_diff("she raised her voice", "she raised hisvoice")
    assert describe(diff).startswith("substantive")
    assert [op.op for op in diff] == [DiffTag.EQUAL, DiffTag.REPLACE]
    assert all(isinstance(op.op, DiffTag) for op in diff)


def test_words_joined_by_a_dash_are_two_words(tmp_path):
    source = "BEIJING — International observers said the talks were over.\n"
    quote = "BEIJING—Foreign observers said the talks were over."
    [result] = check_in(tmp_path, {"a.txt": f"Dateline.\n\n{source}"}, Q("a", quote))
    assert result.closest is not None
    changed = [(d.op, d.quote, d.source) for d in result.closest.diff if d.op != "equal"]
    assert changed == [("replace", "Foreign", "International")]
    assert describe(result.closest.diff) == "substantive: a changed word"


def test_the_dash_word_lines_up_with_the_passage_as_shown(tmp_path, invoke):
    from tests.quotecheck import write_outline
    from tests.tinycorpus import write_corpus

    corpus = write_corpus(
        tmp_path, {"a.txt": "Dateline.\n\nBEIJING – International observers said so.\n"}
    )
    written = write_outline(tmp_path, [Q("a", "BEIJING—Foreign observers said so.")], corpus)
    out = invoke("check", written.path).out
    # the source's own en dash and spaces are shown, the changed word marked alone
    assert "BEIJING – {+International+} observers said so." in out, out


class _Work:
    """Counts the comparisons rapidfuzz and difflib are asked to make (length x length)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.pairs = 0
        work = self

        class CountingFuzz:
            def __getattr__(self, name):
                real = getattr(fuzz, name)

                def counted(a, b, *args, **kwargs):
                    work.pairs += len(a) * len(b)
                    return real(a, b, *args, **kwargs)

                return counted

        class CountingMatcher(difflib.SequenceMatcher):
            def __init__(self, isjunk=None, a="", b="", autojunk=True):
                work.pairs += len(a) * len(b)
                super().__init__(isjunk, a, b, autojunk)

        monkeypatch.setattr(closest_module, "fuzz", CountingFuzz())
        monkeypatch.setattr(closest_module.difflib, "SequenceMatcher", CountingMatcher)


def _long_case(words: int) -> tuple[str, object]:
    text = " ".join(f"w{i % 997}x{i % 13}" for i in range(words))
    source = _text(f"Intro.\n\n{text}\n")
    quote = text.split(" ")
    quote[len(quote) // 2] = "changed"
    return " ".join(quote), source


def test_closest_passage_work_grows_linearly_with_a_long_quote(monkeypatch):
    """A 427 KB misquote took 36 s: the quote was aligned character by character with
    every paragraph (quadratic). Four times the quote must cost about four times the
    work, not sixteen."""
    work = _Work(monkeypatch)
    results = []
    for words in (3000, 12000):
        quote, source = _long_case(words)
        work.pairs = 0
        found = closest_passage(quote, [source])
        assert found is not None
        results.append((work.pairs, found))
    (small, found_small), (large, found_large) = results
    assert large < 6 * small, (small, large)
    # and the hint is still right: the one changed word, in a passage as long as the quote
    for found in (found_small, found_large):
        changed = [(d.op, d.quote) for d in found.diff if d.op != "equal"]
        assert changed == [("replace", "changed")]
        assert found.kind == "substantive"


_WORD_LISTS = st.lists(st.sampled_from(["a", "b", "c", "d", "e", "f"]), max_size=80)


@given(_WORD_LISTS, st.data())
@settings(max_examples=300, deadline=None)
def test_windowed_word_diff_is_a_valid_edit_script(a, data):
    """Window by window (here 8 words at a time), the steps still turn the quote into the
    passage: they cover both in order, and "equal" steps are equal."""
    edits = data.draw(st.lists(st.tuples(st.integers(0, 80), st.sampled_from(["x", ""]))))
    b = list(a)
    for at, word in edits:
        at = min(at, len(b))
        if word:
            b.insert(at, word)
        elif at < len(b):
            del b[at]
    codes = _windowed(a, b)
    i = j = 0
    for tag, i1, i2, j1, j2 in codes:
        assert (i1, j1) == (i, j)
        assert tag in {"equal", "replace", "delete", "insert"}
        if tag == "equal":
            assert a[i1:i2] == b[j1:j2]
        i, j = i2, j2
    assert (i, j) == (len(a), len(b))


def _windowed(a: list[str], b: list[str]) -> list:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(closest_module, "DIFF_WINDOW", 8)
        patch.setattr(closest_module, "_DIFF_WHOLE", 0)
        return closest_module._opcodes(a, b)


def test_windowed_word_diff_finds_each_change_in_a_long_text():
    a = [f"w{i}" for i in range(200)]
    b = [*a[:50], "new", *a[51:120], *a[121:], "tail"]
    changed = [(t, a[i1:i2], b[j1:j2]) for t, i1, i2, j1, j2 in _windowed(a, b) if t != "equal"]
    assert changed == [("replace", ["w50"], ["new"]), ("delete", ["w120"], []),
                       ("insert", [], ["tail"])]  # fmt: skip


def test_the_closest_passage_holds_no_invisible_characters(tmp_path):
    source = "Intro.\n\nThe in\u00adcredible ex\u200bpansion of the harbour continued.\n"
    [result] = check_in(tmp_path, {"a.txt": source}, Q("a", "The incredible growth of the harbour"))
    assert result.closest is not None
    assert result.closest.passage == "The incredible expansion of the harbour"
