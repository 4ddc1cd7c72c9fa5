"""SPEC "What verbatim means": quote and source are compared in Unicode NFC."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import pytest

from tests.conftest import CORPUS
from tests.quotecheck import (
    CNBC,
    M,
    Q,
    V,
    assert_found,
    check_quotes,
    file_line_col,
    where,
)


def test_the_quote_is_compared_in_nfc(tmp_path):
    # U+212A KELVIN SIGN is canonically equivalent to K: NFC turns it into "Kremlin".
    quote = "A \u212aremlin aide also claimed to reporters after the meeting"
    assert unicodedata.normalize("NFC", quote) != quote
    assert_found(tmp_path, CNBC, quote, where("004", "A Kremlin aide"))


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_source_and_quote_in_different_forms_match(tmp_path, form):
    text = unicodedata.normalize("NFD", "Sergei Sobyanin met the café owners in Köln.\n")
    corpus = _corpus_with_extra_source(tmp_path, text)
    quote = unicodedata.normalize(form, "owners in Köln")
    [result] = check_quotes(tmp_path, Q("extra", quote), corpus=corpus)
    assert result.status is V
    # the column counts the file's own (decomposed) characters
    assert file_line_col(result) == ("extra.txt", 1, text.index("owners") + 1)
    [result] = check_quotes(tmp_path, Q("extra", "met the cafe owners in Koln"), corpus=corpus)
    assert result.status is M  # an accent is a letter, not typography


def _corpus_with_extra_source(tmp_path: Path, text: str) -> Path:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    (corpus / "extra.txt").write_text(text, encoding="utf-8")
    with (corpus / "sources.yaml").open("a", encoding="utf-8") as f:
        f.write("\n- id: extra\n  file: extra.txt\n  title: An extra source\n")
    return corpus
