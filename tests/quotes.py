"""Outlines built in a test's tmp_path from a few evidence items, against the seed corpus."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import CORPUS


def outline_with(folder: Path, *evidence: dict[str, str], name: str = "t.yaml") -> Path:
    """Write an outline whose one argument offers `evidence` (dicts of source, quote and
    optionally speaker); every quote starts on line 9 + 3 * its index (4 with a speaker)."""
    lines = [
        "title: Test brief",
        f"corpus: {json.dumps(str(CORPUS))}",
        "sections:",
        "  - heading: Findings",
        "    arguments:",
        "      - claim: A claim.",
        "        evidence:",
    ]
    for ev in evidence:
        lines.append(f"          - source: {ev['source']}")
        lines.append(f"            quote: {json.dumps(ev['quote'], ensure_ascii=False)}")
        if "speaker" in ev:
            lines.append(f"            speaker: {ev['speaker']}")
    (folder / "outlines").mkdir(exist_ok=True)
    path = folder / "outlines" / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
