"""The passage index's work for a misquote, counted in queries (not timed)."""

from __future__ import annotations

from report.index import Fts5Index

PARAGRAPHS = [
    "the minister said the plan would be ready before the winter session of parliament",
    "nothing in the report suggests that the budget was ever approved by the cabinet",
]


def _index() -> Fts5Index:
    index = Fts5Index(None)
    index.add("doc", PARAGRAPHS)
    index.commit()
    return index


def test_a_misquote_is_not_looked_for_whole_twice():
    index = _index()
    statements: list[str] = []
    index.db.set_trace_callback(statements.append)
    words = [
        "the",
        "minister",
        "said",
        "the",
        "plan",
        "would",
        "be",
        "finished",
        "before",
        "the",
        "winter",
    ]
    assert index.containing(words, 10) == []  # nowhere verbatim
    hits = index.similar(words, 10)
    assert [h.paragraph for h in hits] == [0]
    whole = '"' + " ".join(words) + '"'
    assert sum(whole in s for s in statements) == 1


def test_a_phrase_absent_before_a_document_is_added_is_asked_again():
    index = _index()
    words = ["the", "new", "paragraph", "added", "later"]
    assert index.containing(words, 10) == []
    index.add("other", ["this is the new paragraph added later on"])
    index.commit()
    assert [h.key for h in index.similar(words, 10)] == ["other"]
