"""Write outlines/xi-putin-draft.docx: the sample brief as an analyst drafts it in Word, the
quotations woven into the prose with Chicago footnotes, for `report audit` (make audit).

Every quotation is one of outlines/xi-putin.yaml's true quotes except two planted
misquotes, which the audit must find and nothing else:
- "Russia is the junior partner ..." (the source has "very much" before "the junior");
- "reaffirmed China's commitment to fully support Russia ..." (the source has "firmly").
It also has what a real draft has: short quotations and a scare quote (not audited), a
block quotation in Word's Quote style and one only indented, a table, an endnote, "Ibid."
and short notes, and a tracked change (a word replaced) that the audit reads as accepted.

The file is the same bytes every time: python scripts/make_sample_draft.py [OUT]
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.draftmaker import Del, DraftBuilder, Endnote, Ins, Note  # noqa: E402

DISPATCH = "Thomas Joscelyn, “Talk About Your Dangerous Liaisons,” The Dispatch, March 21, 2020."
PONARS = (
    "Elizabeth Wishnick, “Masked Diplomacy: Xi and Putin Seek Advantage and Cover from the "
    "Pandemic,” PONARS Eurasia Policy Memo No. 643, April 2020."
)
CNBC = (
    "“China and Russia Show Solidarity, but Likely Won’t Support Each Other Militarily, "
    "Analysts Say,” CNBC, December 2021."
)
EMBRACE = "“Xi’s Warm Embrace of Putin in China Is a Defiance of the West,” The World News, 2024."


def sample() -> DraftBuilder:
    b = DraftBuilder()
    b.heading("Solidarity Without Alliance", 0)
    b.para("What the Xi–Putin partnership does and does not promise. Draft for review.")

    b.heading("Pandemic diplomacy, 2020")
    b.para(
        "In a March 2020 call, Vladimir Putin told Xi Jinping that China “has set an example "
        "for the international community,”",
        Note(DISPATCH),
        " and praised Beijing for having “responded, loud and clear, to the provocation and "
        "stigmatization by some country.”",
        Note("Ibid."),
        " Xi, for his part, spoke of “mutual support, solidarity and close collaboration "
        "between China and Russia in this extraordinary fight against the virus.”",
        Note("Joscelyn, “Dangerous Liaisons.”"),
    )
    b.para(
        "Both leaders were, in Elizabeth Wishnick’s words, “strongmen with an indefinite hold "
        "on power taking cover from bad news of the pandemic's impact on their countries.”",
        Note(PONARS),
        " She adds that “China is not alone in spreading disinformation about the origins of "
        "the pandemic.”",
        Note("Ibid."),
        " Beijing presented the crisis as proof of a “new era” in which the partnership "
        "would lead.",
    )

    b.heading("Limits visible from the start")
    b.para(
        "Top-level goodwill coexisted with friction on the ground: Wishnick contrasts "
        "“mutual support by Xi and Putin, contrasted with ambivalence in Russian regions,”",
        Note("Wishnick, “Masked Diplomacy.”"),
        " where governors acted on their own. Her conclusion holds for both capitals:",
    )
    b.para(
        "China and Russia may seek to take advantage of a leadership vacuum, but they did not "
        "create it, nor do they have the soft power resources to overcome it.",
        Note("Ibid."),
        style="Quote",
    )

    b.heading("A partnership short of alliance")
    b.para(
        "Neil Thomas of Eurasia Group argued that “Beijing and Moscow are forging closer ties "
        "because both governments view deeper bilateral cooperation as beneficial to their "
        "respective national interests,”",
        Note(CNBC),
        " adding that “Russia is the junior partner in the bilateral relationship.”",
        Note("Ibid."),
        " At the Olympics, Xi “reaffirmed China’s commitment to fully support Russia in "
        "maintaining long-term stability,”",
        Note("Ibid."),
        " a formula the so-called “no limits” partnership repeats.",
    )
    b.table(
        [
            [("Analyst",), ("What the analyst told CNBC",)],
            [
                ("Neil Thomas",),
                (
                    "“China does not want a formal military alliance with Russia, because it "
                    "wants to avoid direct involvement in the messy international politics of "
                    "Moscow’s destabilizing moves in Eastern Europe.”",
                    Note("Ibid."),
                ),
            ],
            [
                ("William Courtney",),
                (
                    "“neither of them specifically endorsed the position of the other with "
                    "regard to their points of sensitivity”",
                    Note("Ibid."),
                ),
            ],
        ]
    )

    b.heading("Warm embrace, 2024")
    b.para(
        "Two years into the war, “Western leaders looking for signs of any ",
        Del("real"),
        Ins("meaningful"),
        " divergence between Mr. Xi and Mr. Putin, particularly on the war in Ukraine, would "
        "find none.”",
        Note(EMBRACE),
        " For Jude Blanchette, “Moscow’s strategic value to Xi only strengthens as "
        "geopolitical competition with the United States becomes more intense.”",
        Note("Ibid."),
    )
    b.para(
        "Mr. Xi will probably do as much as he can to back Mr. Putin, but he will ultimately "
        "be guided only by China’s best interests.",
        Endnote("“Xi’s Warm Embrace,” The World News."),
        indent_cm=1.5,
    )
    b.para(
        "As Natasha Kuhrt put it, “It doesn’t want to be shackled to a corpse.”",
        Note("“Xi’s Warm Embrace.”"),
    )

    b.heading("Recommendations")
    b.para("Treat the partnership as durable but bounded; plan for its limits.")
    return b


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "outlines" / "xi-putin-draft.docx"
    out.write_bytes(sample().bytes())
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
