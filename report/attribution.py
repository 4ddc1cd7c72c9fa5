"""Who is quoted (a speaker, a source's authors or its publication) -> the words that
introduce an evidence item's quote in the brief, as an analyst would write them.

- A full sentence is introduced with a verb of saying: "As Neil Thomas put it, “…”"
  (a speaker), "As Elizabeth Wishnick writes, “…”" (an author), "As CNBC reported, “…”".
- A fragment (a quote that starts mid-sentence) cannot follow a verb of saying, so it is
  mentioned rather than used: "Vladimir Putin used the words “has set an example…”"; an
  evidence item's `lead:` gives the author's own words instead, which is better.
- Someone quoted again at once is not announced again in the same words: "Wishnick adds",
  then "Wishnick also notes"; anyone named before in the brief goes by the short name
  (the family name, or the part of the name the source itself uses alone: "Xi").
- An organisation takes an article ("the Federal Aviation Administration"), as does a
  publication whose title begins with one ("the World News", capitalised only at the start
  of a sentence); two or three authors take a plural verb ("write"), more than three are
  "Aligon et al.".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Verbs by who is quoted: (first time, again at once: in turn), fragment, fragment again.
_SAY = {
    "speaker": ("As {} put it, ", ("{} added, ", "{} also said, ", "{} went on, ")),
    "author": ("As {} writes, ", ("{} adds, ", "{} also notes, ", "{} goes on, ")),
    "authors": ("As {} write, ", ("{} add, ", "{} also note, ", "{} go on, ")),
    "publication": ("As {} reported, ", ("{} also reported, ", "{} added, ", "{} went on, ")),
}
_MENTION = {
    "speaker": ("{} used the words ", "{} also used the words "),
    "author": ("{} uses the words ", "{} also uses the words "),
    "authors": ("{} use the words ", "{} also use the words "),
    "publication": ("{} used the words ", "{} also used the words "),
}
# The last word of an organisation's name: "the Federal Aviation Administration".
_BODIES = frozenset(
    {
        "administration", "agency", "alliance", "assembly", "association", "authority", "bank",
        "board", "bureau", "cabinet", "centre", "center", "coalition", "commission",
        "committee", "congress", "council", "court", "department", "directorate",
        "federation", "forum", "foundation", "fund", "government", "group", "institute",
        "institution", "kremlin", "league", "ministry", "network", "office", "organisation",
        "organization", "parliament", "programme", "program", "secretariat", "senate",
        "service", "society", "staff", "union",
    }
)  # fmt: skip
_PARTICLES = frozenset({"van", "von", "der", "den", "de", "del", "della", "da", "di", "du", "le",
                        "la", "bin", "al", "ibn", "ter", "ten"})  # fmt: skip
_HONORIFIC = re.compile(r"^(?:Mr|Mrs|Ms|Dr|Prof|Sir|Dame)\.?\s+")


@dataclass(frozen=True, slots=True)
class Who:
    """Whoever an evidence item quotes."""

    names: tuple[str, ...]  # one speaker, or the source's authors, or its publication
    role: str  # "speaker", "author" or "publication"
    short: tuple[str, ...]  # the same, as named again

    @property
    def key(self) -> tuple[str, ...]:
        return self.names

    @property
    def verb_role(self) -> str:
        return "authors" if self.role == "author" and len(self.names) > 1 else self.role


def who(names: list[str], role: str, source_text: str = "") -> Who:
    """`names` as a brief names them; `source_text` tells which part of a person's name the
    source uses alone (its short name)."""
    names = [n for n in names if n]
    return Who(tuple(names), role, tuple(short_name(n, source_text) for n in names))


def _listed(names: tuple[str, ...]) -> str:
    if len(names) > 3:
        return f"{names[0]} et al."
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def named(w: Who, again: bool) -> str:
    """How a sentence names them: in full the first time, by the short name after."""
    names = w.short if again else w.names
    return _listed(tuple(with_article(n) for n in names))


def lead_in(w: Who, fragment: bool, mentioned: bool, turn: int) -> str:
    """The words before the quote. `mentioned`: named before in the brief; `turn`: how
    many quotes of theirs came just before this one in the same argument (0: none)."""
    name = named(w, mentioned or turn > 0)
    role = w.verb_role
    if fragment:
        first, again = _MENTION[role]
        return sentence(again.format(name) if turn else first.format(name))
    first, repeats = _SAY[role]
    if turn:
        return sentence(repeats[(turn - 1) % len(repeats)].format(name))
    return sentence(first.format(name))


def sentence(text: str) -> str:
    """Text that starts a sentence: its first letter capitalised ("the Dispatch adds")."""
    return text[:1].upper() + text[1:]


def is_organisation(name: str) -> bool:
    words = name.split()
    if len(words) < 2:
        return False
    last = re.sub(r"\W+$", "", words[-1]).casefold()
    return last in _BODIES or (" of " in f" {name} " and words[0][:1].isupper())


def with_article(name: str) -> str:
    """An organisation's or a publication's name in a sentence: "the Federal Aviation
    Administration", "the World News" (a leading "The" lower-cased, Chicago 8.170)."""
    if name.startswith("The "):
        return "the " + name[4:]
    if is_organisation(name) and not name[:1].islower():
        return "the " + name
    return name


def short_name(name: str, source_text: str = "") -> str:
    """A person named again: the family name (with its particles, "von der Leyen"), or the
    first part when the source uses it alone more often ("Xi" of "Xi Jinping")."""
    bare = _HONORIFIC.sub("", name).strip()
    words = bare.split()
    if len(words) < 2 or is_organisation(bare) or name.startswith("The ") or bare.isupper():
        return name
    if any(not w[:1].isupper() and w.casefold() not in _PARTICLES for w in words):
        return name  # not a person's name as written ("the Kremlin's spokesman")
    family = words[-1]
    k = len(words) - 1
    while k > 0 and words[k - 1].casefold() in _PARTICLES:
        k -= 1
    family = " ".join(words[k:])
    if source_text and len(words) == 2:
        # A family name written first ("Xi Jinping") is the part the source uses alone.
        first, last = (re.escape(w) for w in words)
        alone_first = len(re.findall(rf"(?<!\w){first}(?!\w)(?!\s+{last})", source_text))
        alone_last = len(re.findall(rf"(?<!{first}\s)(?<!\w){last}(?!\w)", source_text))
        if alone_first >= 2 and alone_first > alone_last:
            return words[0]
    return family
