"""Quotation marks of other languages fold like English ones (report.normalize), and a
quote in a script written without spaces between words (Chinese, Japanese, Thai) is
matched by characters (report.quote, report.match)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from report.findings import Status, WarningKind
from report.normalize import normalize, normalize_text
from tests.quotecheck import Q
from tests.tinycorpus import check_in

NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("«mot»", '"mot"'),
        ("‹mot›", "'mot'"),
        ("„Wort“", '"Wort"'),
        ("‚Wort‘", "'Wort'"),
        ("「你好」", '"你好"'),
        ("『你好』", "'你好'"),
        ("〝你好〟", '"你好"'),
        ("＂mot＂", '"mot"'),
        ("‘‘RC’’", '"RC"'),  # LaTeX's double quotes in its PDFs
        ("``RC''", '"RC"'),
    ],
)
def test_quotation_marks_of_other_languages_fold(text, folded):
    assert normalize_text(text) == folded


@pytest.mark.parametrize(
    "text",
    [f"dit «{NBSP}mot{NBSP}» hier", f"dit «{NNBSP}mot{NNBSP}» hier", "dit « mot » hier"],
)
def test_the_space_inside_french_guillemets_is_typography(text):
    assert normalize_text(text) == 'dit "mot" hier'


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("il dit « mot ».", 'il dit "mot".'),
        ("l’« affaire » est close", 'l\'"affaire" est close'),
        ("« Mot » dit-il", '"Mot" dit-il'),
        # German and Danish put the marks the other way round, without inner spaces: the
        # spaces outside them stay
        ("er sagte »Wort« und ging", 'er sagte "Wort" und ging'),
        ("»Er kam.« Dann ging er", '"Er kam." Dann ging er'),
        ("x — « mot » — y", 'x\u2014"mot"\u2014y'),
    ],
)
def test_only_the_inner_spaces_of_guillemets_go(text, folded):
    assert normalize_text(text) == folded


@pytest.mark.parametrize(
    "text",
    [f"A «{NBSP}b{NBSP}» c ‘‘d’’ 「e」 ``f''", "«  x  » ‹ y › «»", "'''' ``` «\u00ad »"],
)
def test_folding_keeps_the_offset_map_exact_and_is_idempotent(text):
    norm = normalize(text)
    assert normalize_text(norm.text) == norm.text
    marks = {'"': "«»“”„‘’`'「」＂〝〟", "'": "‹›‘’'『』＇"}
    for k, ch in enumerate(norm.text):
        src = text[norm.map(k)]
        assert src == ch or src in marks.get(ch, "") or (ch == " " and src.isspace()), (k, ch)


FRENCH = (
    "Intro.\n\n"
    f"Le ministre a déclaré : «{NBSP}la paix est possible{NBSP}» hier soir à Paris.\n\n"
    "Er sagte »der Frieden ist möglich« und ging.\n\n"
    "He wrote ‘‘robust control’’ in the abstract, and ``robust'' again later.\n"
)


@pytest.mark.parametrize(
    "quote",
    [
        '"la paix est possible"',
        "« la paix est possible »",
        f"«{NBSP}la paix est possible{NBSP}»",
        "«la paix est possible»",
        'a déclaré : "la paix est possible" hier soir',
        "a déclaré : « la paix est possible » hier soir",
        'Er sagte "der Frieden ist möglich" und ging',
        "sagte »der Frieden ist möglich« und",
        'He wrote "robust control" in the abstract',
        "He wrote “robust control” in the abstract",
        'and "robust" again later',
    ],
)
def test_quotes_verify_whichever_marks_they_are_written_with(tmp_path, quote):
    [result] = check_in(tmp_path, {"a.txt": FRENCH}, Q("a", quote))
    assert result.status is Status.VERIFIED, (quote, result.status)


@pytest.mark.parametrize(
    "quote",
    [
        '"la paix est impossible"',
        'déclaré :"la paix est possible"hier',  # words outside the marks stay apart
        "Er sagte der Frieden ist möglich und ging",  # the marks are the source's words too
    ],
)
def test_folded_marks_forgive_no_word(tmp_path, quote):
    [result] = check_in(tmp_path, {"a.txt": FRENCH}, Q("a", quote))
    assert result.status is Status.MISQUOTE, quote


CJK = (
    "Intro.\n\n"
    "外交部发言人表示，中国的发展离不开世界，世界的繁荣也需要中国。\n\n"
    "首相は記者会見で「経済の再生が最優先の課題だ」と述べ、新たな対策を発表した。\n\n"
    "รัฐบาลประกาศมาตรการใหม่เพื่อกระตุ้นเศรษฐกิจในวันจันทร์\n\n"
    "该公司与Microsoft合作开发新产品。\n"
)


@pytest.mark.parametrize(
    "quote",
    [
        "中国的发展离不开世界",  # from inside a sentence, no spaces around it
        "发展离不开世界，世界的繁荣",
        "世界的繁荣也需要中国。",
        "経済の再生が最優先の課題だ",
        "「経済の再生が最優先の課題だ」と述べ",
        '"経済の再生が最優先の課題だ"と述べ',
        "新たな対策を発表した",
        "มาตรการใหม่เพื่อกระตุ้นเศรษฐกิจ",  # Thai, from inside a sentence
        "Microsoft合作开发",  # a Latin word inside Chinese text
        "与Microsoft合作",
        "中国的[发展]离不开世界",
        "中国的发展 ... 也需要中国",
    ],
)
def test_a_chinese_japanese_or_thai_quote_from_inside_a_sentence_verifies(tmp_path, quote):
    [result] = check_in(tmp_path, {"a.txt": CJK}, Q("a", quote))
    assert result.status is Status.VERIFIED, (quote, result.status)
    assert not any(w.kind is WarningKind.TOO_SHORT for w in result.warnings), result.warnings


@pytest.mark.parametrize(
    "quote",
    [
        "中国的进步离不开世界",  # one character changed
        "中国发展离不开世界",  # one dropped
        "経済の再生が最重要の課題だ",
        "icrosoft合作开发",  # a Latin word is still matched whole
        "Microsof合作开发",
    ],
)
def test_a_changed_character_is_a_misquote(tmp_path, quote):
    [result] = check_in(tmp_path, {"a.txt": CJK}, Q("a", quote))
    assert result.status is Status.MISQUOTE, quote


def test_a_cjk_quote_of_two_characters_is_short(tmp_path):
    [result] = check_in(tmp_path, {"a.txt": CJK}, Q("a", "中国"))
    assert result.status is Status.VERIFIED
    assert [w.kind for w in result.warnings] == [WarningKind.TOO_SHORT]


_PIECES = [*"aZé. ,—-'\"`«»‹›「」『』＂‘’“”„\u00a0\u202f\u00ad\n", "--", "''", "``", " « ", " » "]


@given(st.lists(st.sampled_from(_PIECES), max_size=30).map("".join))
@settings(max_examples=1000, deadline=None)
def test_folding_marks_is_idempotent_and_maps_in_order(text):
    norm = normalize(text)
    assert normalize_text(norm.text) == norm.text
    previous = 0
    for k in range(len(norm.text) + 1):
        src = norm.map(k)
        assert previous <= src <= len(text)
        previous = src


def test_an_alteration_does_not_reach_over_a_chinese_full_stop(tmp_path):
    source = "Intro.\n\n他们说中国会来。世界会变。\n"
    [inside] = check_in(tmp_path, {"a.txt": source}, Q("a", "他们说[北京]会来。"))
    assert inside.status is Status.VERIFIED
    [over] = check_in(tmp_path, {"a.txt": source}, Q("a", "他们说中国[会来。世界]会变。"))
    assert over.status is Status.MISQUOTE
