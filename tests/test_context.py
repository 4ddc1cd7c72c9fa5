"""Quotes out of context: verbatim quotes that drop a negation or a contrast, or give a quoted
person's words as the author's, warn (and fail under --strict); faithful ones do not."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from report.context import excerpt
from report.findings import Status, WarningKind
from report.normalize import normalize_text
from report.pipeline import check
from report.quote import compile_quote
from tests.conftest import CORPUS, SAMPLE
from tests.quotes import outline_with

CONTEXT = {
    WarningKind.NEGATION_OMITTED,
    WarningKind.CONTRAST_OMITTED,
    WarningKind.ATTRIBUTED_TO_AUTHOR,
}


def result_of(tmp_path, **evidence):
    [checked] = check([outline_with(tmp_path, evidence)])
    [result] = checked.results
    assert result.status is Status.VERIFIED  # every case here is verbatim
    return result


def context_kinds(result) -> list[WarningKind]:
    return [w.kind for w in result.warnings if w.kind in CONTEXT]


def marked(warning) -> list[str]:
    e = warning.excerpt
    return [e.text[a:b] for a, b in e.spans]


@pytest.mark.parametrize(
    ("source", "quote", "word"),
    [
        # 'China [isn't] going to send military help' (Angela Stent, CNBC)
        ("cnbc-2021", "going to send military help", "isn't"),
        ("ponars-643", "alone in spreading disinformation about the origins", "not"),
        ("dispatch-2020", "a lone superpower", "no"),
        ("ponars-643", "do they have the soft power resources to overcome it", "nor"),
        ("cnbc-2021", "specifically endorsed the position of the other", "Neither"),
    ],
)
def test_negation_left_out_warns(tmp_path, source, quote, word):
    result = result_of(tmp_path, source=source, quote=quote)
    assert context_kinds(result) == [WarningKind.NEGATION_OMITTED]
    warning = result.warnings[-1]
    assert f"'{word}'" in warning.message
    assert marked(warning) == [quote]
    before = warning.excerpt.text[: warning.excerpt.spans[0][0]]
    assert word in before.replace("’", "'")


def test_negation_left_out_by_an_omission_warns_and_marks_each_part(tmp_path):
    result = result_of(tmp_path, source="ponars-643", quote="China is ... alone in spreading")
    assert context_kinds(result) == [WarningKind.NEGATION_OMITTED]
    warning = result.warnings[-1]
    assert "after an omission" in warning.message
    assert marked(warning) == ["China is", "alone in spreading"]
    assert warning.excerpt.text.startswith("China is not alone")


@pytest.mark.parametrize(
    ("source", "quote"),
    [
        ("embrace-2024", "Mr. Xi will probably do as much as he can to back Mr. Putin"),
        ("ponars-643", "China and Russia may seek to take advantage of a leadership vacuum"),
        ("cnbc-2021", "International pressure may have pushed China and Russia closer together"),
    ],
)
def test_contrast_left_out_warns(tmp_path, source, quote):
    result = result_of(tmp_path, source=source, quote=quote)
    assert context_kinds(result) == [WarningKind.CONTRAST_OMITTED]
    warning = result.warnings[-1]
    assert "'but'" in warning.message
    assert marked(warning) == [quote]
    rest = warning.excerpt.text[warning.excerpt.spans[0][1] :]
    assert rest.startswith(", but ")


def test_someone_elses_words_given_as_the_authors_warn(tmp_path):
    # Joscelyn (the Dispatch's author) quotes Putin; the outline makes Joscelyn the speaker.
    result = result_of(
        tmp_path,
        source="dispatch-2020",
        quote="has set an example for the international community",
        speaker="Thomas Joscelyn",
    )
    assert context_kinds(result) == [WarningKind.ATTRIBUTED_TO_AUTHOR]
    warning = result.warnings[-1]
    assert "Thomas Joscelyn" in warning.message
    assert "Putin said" in warning.excerpt.text
    assert marked(warning) == ["has set an example for the international community"]


@pytest.mark.parametrize(
    ("source", "quote", "speaker"),
    [
        # the negation is quoted too
        ("cnbc-2021", "China [isn’t] going to send military help", "Angela Stent"),
        ("ponars-643", "China is not alone in spreading disinformation", None),
        # "no longer" is inside the quote; the sentence ends with it
        ("dispatch-2020", "the U.S. is no longer a lone superpower", None),
        # the whole sentence, contrast included
        (
            "embrace-2024",
            "Mr. Xi will probably do as much as he can to back Mr. Putin, but he will "
            "ultimately be guided only by China’s best interests.",
            None,
        ),
        # "not only X, but also Y": neither a negation of X nor a turn after it
        ("dispatch-2020", "contain the spread of the virus at home", "Vladimir Putin"),
        # the author's own words, attributed to the author
        (
            "dispatch-2020",
            "the Chinese government has been orchestrating a soft power campaign",
            "Thomas Joscelyn",
        ),
        # someone else's words, attributed to that someone
        ("dispatch-2020", "has set an example for the international community", "Putin"),
    ],
)
def test_faithful_quotes_do_not_warn(tmp_path, source, quote, speaker):
    evidence = {"source": source, "quote": quote}
    if speaker:
        evidence["speaker"] = speaker
    assert context_kinds(result_of(tmp_path, **evidence)) == []


def test_the_sample_outline_quotes_in_context():
    [checked] = check([SAMPLE])
    assert [r.warnings for r in checked.results if r.warnings] == []


def test_context_warnings_fail_only_under_strict(tmp_path, invoke):
    path = outline_with(tmp_path, {"source": "cnbc-2021", "quote": "going to send military help"})
    relaxed = invoke("check", path)
    assert relaxed.code == 0, relaxed.out + relaxed.err
    assert "warning: negation omitted" in relaxed.out
    assert ">>going to send military help<<" in relaxed.out
    strict = invoke("check", path, "--strict")
    assert strict.code == 1
    assert "error: negation omitted" in strict.out


# -- any verbatim quote: the checks never break, and the excerpt marks the quote ----------

SOURCES = ["dispatch-2020", "ponars-643", "embrace-2024", "cnbc-2021"]


def verify_one(corpus, source: str, quote: str):
    from report.errors import Location
    from report.model import Argument, Evidence, Outline, Section
    from report.verify import verify

    here = Location("t.yaml", 1, 1)
    ev = Evidence(source, quote, here, here)
    outline = Outline(
        path=Path("t.yaml"),
        title="t",
        sections=(Section("h", here, arguments=(Argument("c", here, evidence=(ev,)),)),),
        corpus_dir=CORPUS,
    )
    [[result]] = verify([outline], corpus)
    return result


@settings(max_examples=150, deadline=None, derandomize=True)
@given(st.sampled_from(SOURCES), st.integers(0, 10**6), st.integers(3, 30))
def test_excerpts_mark_exactly_the_quoted_words(corpus, source, start, length):
    text = corpus.text(source)
    # a span of one paragraph of the body (a quote may not run over a paragraph break)
    paragraphs = [
        text.text[max(a, text.body[0]) : min(b, text.body[1])].strip().split(" ")
        for a, b in (text.paragraph_span(p) for p in text.para_starts)
        if b > text.body[0] and a < text.body[1]
    ]
    words = max(paragraphs[start % len(paragraphs) :] + paragraphs[:1], key=len)
    length = min(length, len(words))
    start %= max(1, len(words) - length)
    quote = " ".join(words[start : start + length])
    result = verify_one(corpus, source, quote)  # context checks included: they never break
    assert result.status is Status.VERIFIED, quote
    shown = excerpt(text, result.match, compile_quote(quote))
    [(a, b)] = shown.spans
    assert normalize_text(shown.text[a:b])[1:] == normalize_text(quote)[1:]
