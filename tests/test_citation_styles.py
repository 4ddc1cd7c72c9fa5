"""Notes, in-text citations and bibliographies in each bundled style, as a reader sees them in
the PDF (pypdf) and the Word file (python-docx and its footnotes part), for the seed sources
and awkward ones (tests/citeproject.py). The expected strings were checked by hand against
each style's manual: Chicago 16th (14.18-14.29, 15.9), APA 7 (8.10-8.17, 9.7) and Cite Them
Right."""

from __future__ import annotations

import zipfile

import docx
import pytest
from lxml import etree
from pypdf import PdfReader

from report.build import build
from tests.citeproject import make_project

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

CHICAGO_NOTES = [
    "Thomas Joscelyn, “Talk About Your Dangerous Liaisons,” The Dispatch: Vital Interests, "
    "March 21, 2020.",
    "Federal Aviation Administration, Airworthiness Directives; The Boeing Company Airplanes "
    "(U.S. Department of Transportation, August 6, 2020), 47699.",
    "Ibid., 47699–47700.",
    "Joscelyn, “Talk About Your Dangerous Liaisons.”",
    "“China and Russia Show Solidarity, but Likely Won’t Support Each Other Militarily, "
    "Analysts Say,” CNBC, December 2021.",
    "Vladimir Karpukhin et al., “Dense Passage Retrieval for Open-Domain Question Answering,” "
    "September 30, 2020.",
    "Julien Aligon, Patrick Marcel, and Elsa Negre, “Résumés et interrogations de logs de "
    "requêtes OLAP,” 2011.",
    "Ann Smith, “Why ‘Liberation’ Failed,” Example Review, n.d.",
    "Elizabeth Wishnick, Masked Diplomacy: Xi and Putin Seek Advantage and Cover from the "
    "Pandemic, PONARS Eurasia Policy Memo (PONARS Eurasia, April 2020).",
]
CHICAGO_BIBLIOGRAPHY = [
    "Aligon, Julien, Patrick Marcel, and Elsa Negre. “Résumés et interrogations de logs de "
    "requêtes OLAP,” 2011.",
    "CNBC. “China and Russia Show Solidarity, but Likely Won’t Support Each Other Militarily, "
    "Analysts Say.” December 2021.",
    "Federal Aviation Administration. Airworthiness Directives; The Boeing Company Airplanes. "
    "U.S. Department of Transportation, August 6, 2020.",
    "Joscelyn, Thomas. “Talk About Your Dangerous Liaisons.” The Dispatch: Vital Interests. "
    "March 21, 2020.",
    "Karpukhin, Vladimir, Barlas Oğuz, Sewon Min, Patrick Lewis, Ledell Wu, Sergey Edunov, "
    "Danqi Chen, and Wen-tau Yih. “Dense Passage Retrieval for Open-Domain Question "
    "Answering,” September 30, 2020.",
    "Smith, Ann. “Why ‘Liberation’ Failed.” Example Review, n.d.",
    "Wishnick, Elizabeth. Masked Diplomacy: Xi and Putin Seek Advantage and Cover from the "
    "Pandemic. PONARS Eurasia Policy Memo. PONARS Eurasia, April 2020.",
]
IN_TEXT = {
    "chicago-author-date": [
        "“has set an example for the international community” (Joscelyn 2020).",
        "(Federal Aviation Administration 2020, 47699).",
        "(Federal Aviation Administration 2020, 47699–47700).",
        "“reaffirmed China’s commitment to firmly support Russia” (CNBC 2021).",
        "(Karpukhin et al. 2020).",
        "(Aligon, Marcel, and Negre 2011).",
        "“The reforms ‘failed the farmers,’ he wrote, and ‘they can’t handle it’” (Smith, n.d.).",
        "(Wishnick 2020).",
    ],
    "apa": [
        "(Joscelyn, 2020).",
        "(Federal Aviation Administration, 2020, p. 47699).",
        "(Federal Aviation Administration, 2020, pp. 47699–47700).",
        "(“China and Russia Show Solidarity, but Likely Won’t Support Each Other Militarily, "
        "Analysts Say,” 2021).",
        "(Karpukhin et al., 2020).",
        "(Aligon et al., 2011).",
        "(Smith, n.d.).",
        "(Wishnick, 2020).",
    ],
    "harvard": [
        "(Joscelyn, 2020).",
        "(Federal Aviation Administration, 2020, p. 47699).",
        "(Federal Aviation Administration, 2020, pp. 47699–47700).",
        "(CNBC, 2021).",
        "(Karpukhin et al., 2020).",
        "(Aligon, Marcel and Negre, 2011).",
        "(Smith, no date).",
        "(Wishnick, 2020).",
    ],
}
REFERENCES = {
    "chicago-author-date": [
        "Aligon, Julien, Patrick Marcel, and Elsa Negre. 2011. “Résumés et interrogations de "
        "logs de requêtes OLAP.”",
        "CNBC. 2021. “China and Russia Show Solidarity, but Likely Won’t Support Each Other "
        "Militarily, Analysts Say.” December.",
        "Federal Aviation Administration. 2020. Airworthiness Directives; The Boeing Company "
        "Airplanes. FAA-2020-0686. U.S. Department of Transportation.",
        "Joscelyn, Thomas. 2020. “Talk About Your Dangerous Liaisons.” The Dispatch: Vital "
        "Interests, March 21.",
        "Karpukhin, Vladimir, Barlas Oğuz, Sewon Min, Patrick Lewis, Ledell Wu, Sergey Edunov, "
        "Danqi Chen, and Wen-tau Yih. 2020. “Dense Passage Retrieval for Open-Domain Question "
        "Answering.”",
        "Smith, Ann. n.d. “Why ‘Liberation’ Failed.” Example Review.",
        "Wishnick, Elizabeth. 2020. Masked Diplomacy: Xi and Putin Seek Advantage and Cover "
        "from the Pandemic. 643. PONARS Eurasia Policy Memo. PONARS Eurasia.",
    ],
    "apa": [
        "Aligon, J., Marcel, P., & Negre, E. (2011). Résumés et interrogations de logs de "
        "requêtes OLAP.",
        "China and Russia show solidarity, but likely won’t support each other militarily, "
        "analysts say. (2021, December). CNBC.",
        "Federal Aviation Administration. (2020). Airworthiness Directives; The Boeing Company "
        "Airplanes (FAA-2020-0686). U.S. Department of Transportation.",
        "Joscelyn, T. (2020, March 21). Talk About Your Dangerous Liaisons. The Dispatch: Vital "
        "Interests.",
        "Karpukhin, V., Oğuz, B., Min, S., Lewis, P., Wu, L., Edunov, S., Chen, D., & Yih, W.-t. "
        "(2020). Dense Passage Retrieval for Open-Domain Question Answering "
        "(ArXiv:2004.04906v3).",
        "Smith, A. (n.d.). Why “Liberation” Failed. Example Review.",
        "Wishnick, E. (2020). Masked Diplomacy: Xi and Putin Seek Advantage and Cover from the "
        "Pandemic (No. 643; PONARS Eurasia Policy Memo). PONARS Eurasia.",
    ],
    "harvard": [
        "Aligon, J., Marcel, P. and Negre, E. (2011) “Résumés et interrogations de logs de "
        "requêtes OLAP.”",
        "CNBC (2021) “China and Russia show solidarity, but likely won’t support each other "
        "militarily, analysts say.” December.",
        "Federal Aviation Administration (2020) Airworthiness Directives; The Boeing Company "
        "Airplanes. FAA-2020-0686. U.S. Department of Transportation.",
        "Joscelyn, T. (2020) “Talk About Your Dangerous Liaisons,” The Dispatch: Vital "
        "Interests, 21 March.",
        "Karpukhin, V. et al. (2020) “Dense Passage Retrieval for Open-Domain Question Answering.”",
        "Smith, A. (no date) Why “Liberation” Failed, Example Review.",
        "Wishnick, E. (2020) Masked Diplomacy: Xi and Putin Seek Advantage and Cover from the "
        "Pandemic. 643. PONARS Eurasia.",
    ],
}


def _built(tmp_path, header: str):
    outline = make_project(tmp_path, header)
    built = build([outline], tmp_path / "out", use_cache=False)
    assert [r.status.value for r in built.results] == ["verified"] * 9
    return tmp_path / "out" / "citations.pdf", tmp_path / "out" / "citations.docx"


def _pdf_text(path) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(path).pages)


def _footnotes(path) -> list[str]:
    root = etree.fromstring(zipfile.ZipFile(path).read("word/footnotes.xml"))
    return [  # a locale's no-break spaces (« », o. J.) as spaces
        " ".join("".join(t.text or "" for t in note.iter(f"{W}t")).split())
        for note in root.findall(f"{W}footnote")
        if int(note.get(f"{W}id")) > 0
    ]


def _paragraphs(path, style: str) -> list[str]:
    return [p.text for p in docx.Document(path).paragraphs if p.style.name == style]


def test_chicago_notes_and_bibliography_in_pdf_and_word(tmp_path):
    pdf, word = _built(tmp_path, "")  # the default style
    assert _footnotes(word) == CHICAGO_NOTES
    assert _paragraphs(word, "Bibliography") == CHICAGO_BIBLIOGRAPHY
    text = _pdf_text(pdf)
    for n, note in enumerate(CHICAGO_NOTES, start=1):
        assert f"{n}. {note}" in text
    listed = text[text.index("Sources quoted") :]
    assert [listed.index(e) for e in CHICAGO_BIBLIOGRAPHY] == sorted(
        listed.index(e) for e in CHICAGO_BIBLIOGRAPHY
    )


@pytest.mark.parametrize("style", ["chicago-author-date", "apa", "harvard"])
def test_author_date_styles_cite_in_the_text_and_list_references(tmp_path, style):
    pdf, word = _built(tmp_path, f"style: {style}")
    body = " ".join(p.text for p in docx.Document(word).paragraphs)
    assert "word/footnotes.xml" not in zipfile.ZipFile(word).namelist() or not _footnotes(word)
    text = _pdf_text(pdf)
    for citation in IN_TEXT[style]:
        assert citation in body and citation in text
    assert _paragraphs(word, "Bibliography") == REFERENCES[style]
    for entry in REFERENCES[style]:
        assert entry in text


def test_a_french_brief_cites_in_french_with_french_marks(tmp_path):
    pdf, word = _built(tmp_path, "lang: fr")
    notes = _footnotes(word)
    assert notes[0] == (
        "Thomas Joscelyn, « Talk About Your Dangerous Liaisons », The Dispatch: Vital "
        "Interests, 21 mars 2020."
    )
    assert notes[3] == "Joscelyn, « Talk About Your Dangerous Liaisons »."  # no date
    assert notes[7] == "Ann Smith, « Why “Liberation” Failed », Example Review, s. d."
    text = _pdf_text(pdf)
    # the brief's own marks, nested ones one level down, the full stop outside
    assert "« has set an example for the international community »." in text
    assert "« Les requêtes sont résumées en “profils” avant d’être comparées. »" in text
    assert PdfReader(pdf).trailer["/Root"]["/Lang"] == "fr"
    styles = zipfile.ZipFile(word).read("word/styles.xml").decode()
    assert '<w:lang w:val="fr"' in styles  # the document's default language


def test_a_german_brief_closes_its_quotations_with_german_marks(tmp_path):
    pdf, word = _built(tmp_path, "lang: de")
    text = _pdf_text(pdf)
    assert "„Les requêtes sont résumées en ‚profils‘ avant d’être comparées.“" in text
    assert "„The reforms ‚failed the farmers,‘ he wrote, and ‚they can’t handle it.‘“" in text
    assert _footnotes(word)[7] == "Ann Smith, „Why ‚Liberation‘ Failed“, Example Review, o. J."
