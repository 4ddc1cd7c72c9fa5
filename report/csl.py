"""A source's citation fields as sources.yaml writes them -> CSL-JSON: the variables and item
types a source may carry (CSL 1.0.2), and names as {family, given} or {literal}.

The vocabulary sources.yaml is checked against (report.sources), and the shape of the items
report.cite hands to citeproc-py. The JSON Schema of sources.yaml
(report/data/sources.schema.json) names the same keys and types.
"""

from __future__ import annotations

from typing import Any

# CSL-JSON variables a source may carry for its citation.
VARIABLES = {
    "type", "title", "title-short", "container-title", "collection-title", "publisher",
    "publisher-place", "author", "editor", "translator", "date", "issued", "accessed",
    "url", "URL", "DOI", "note", "number", "issue", "volume", "page", "genre", "medium",
    "language", "abstract", "archive", "event-title", "section", "dimensions",
}  # fmt: skip

NAME_VARIABLES = ("author", "editor", "translator")

# The item types of CSL 1.0.2 (a citation style formats each differently).
TYPES = {
    "article", "article-journal", "article-magazine", "article-newspaper", "bill", "book",
    "broadcast", "chapter", "classic", "collection", "dataset", "document", "entry",
    "entry-dictionary", "entry-encyclopedia", "event", "figure", "graphic", "hearing",
    "interview", "legal_case", "legislation", "manuscript", "map", "motion_picture",
    "musical_score", "pamphlet", "paper-conference", "patent", "performance", "periodical",
    "personal_communication", "post", "post-weblog", "regulation", "report", "review",
    "review-book", "software", "song", "speech", "standard", "thesis", "treaty", "webpage",
}  # fmt: skip

# What people write for a CSL type, and the type they mean.
_TYPE_NAMES = {
    "newspaper": "article-newspaper", "news": "article-newspaper",
    "magazine": "article-magazine", "journal": "article-journal",
    "journal-article": "article-journal", "blog": "post-weblog", "blog-post": "post-weblog",
    "blogpost": "post-weblog", "web": "webpage", "website": "webpage", "web-page": "webpage",
    "memo": "report", "policy-memo": "report", "paper": "article-journal",
}  # fmt: skip


def meant_type(written: object) -> str | None:
    """The CSL type someone who wrote `written` (not a CSL type) most likely meant."""
    word = str(written).strip().lower()
    if word in _TYPE_NAMES:
        return _TYPE_NAMES[word]
    import difflib  # only for this message (start-up)

    near = difflib.get_close_matches(word, sorted(TYPES), n=1)
    return near[0] if near else None


def as_csl(fields: dict[str, Any]) -> dict[str, Any]:
    """Citation fields in CSL-JSON shape: names as {family, given}, `date` as `issued`."""
    out = dict(fields)
    for role in NAME_VARIABLES:
        if role in out:
            value = out[role]
            names = value if isinstance(value, list) else [value]
            out[role] = [as_name(n) for n in names if n]
    if "url" in out and "URL" not in out:
        out["URL"] = out.pop("url")
    if "date" in out and "issued" not in out:
        out["issued"] = out.pop("date")
    return out


def names_ok(value: Any) -> bool:
    """A name is text or a mapping of text (CSL-JSON); a list may hold several."""
    names = value if isinstance(value, list) else [value]
    return all(
        isinstance(n, str)
        or (isinstance(n, dict) and n and all(isinstance(v, str) for v in n.values()))
        for n in names
        if n is not None
    )


# Words that make a name written as text an organisation's ("Federal Aviation
# Administration"), set as written rather than inverted as a person's.
_ORGANISATION_WORDS = {
    "Administration", "Agency", "Association", "Authority", "Bank", "Board", "Bureau",
    "Center", "Centre", "Commission", "Committee", "Company", "Congress", "Corporation",
    "Council", "Court", "Department", "Desk", "Foundation", "Fund", "Government", "Group",
    "Inc", "Inc.", "Institute", "Institution", "LLC", "Limited", "Ltd", "Ltd.", "Ministry",
    "Office", "Organisation", "Organization", "Parliament", "Party", "Service", "Society",
    "Trust", "Trustees", "Union", "University", "Authors", "Team", "Project", "Network",
}  # fmt: skip


def as_name(value: Any) -> dict[str, str]:
    """A name as CSL-JSON has it: a person's as {given, family}, an organisation's (or a
    single word) as {literal}; a mapping stays as written."""
    if isinstance(value, dict):
        return {k: str(v) for k, v in value.items()}
    text = str(value).strip()
    words = text.replace(",", " ").split()
    if " " not in text or any(w in _ORGANISATION_WORDS for w in words):
        return {"literal": text}
    given, family = text.rsplit(" ", 1)
    return {"given": given, "family": family}
