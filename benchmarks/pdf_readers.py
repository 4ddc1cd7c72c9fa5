"""PDF files -> how long each reader takes and how much text it finds: report's PDFium text
layer against pdfminer.six's layout analysis (the reader it replaced), in the same process.

    python benchmarks/pdf_readers.py                      # the real-world PDFs, if present
    python benchmarks/pdf_readers.py some/folder/*.pdf

pdfminer.six is not a dependency of report: install it (`pip install pdfminer.six`) to see
its column; without it only report's figures are printed.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from report.readers.pdftext import pdf_layer  # noqa: E402


def _pdfminer(data: bytes) -> str | None:
    try:
        from pdfminer.high_level import extract_text
    except ImportError:
        return None
    return extract_text(io.BytesIO(data))


def _timed(func, *args):
    start = time.perf_counter()
    out = func(*args)
    return out, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pdfs", nargs="*", type=Path)
    args = parser.parse_args()
    pdfs = args.pdfs or sorted((ROOT.parent / "shared" / "realworld" / "documents").glob("*.pdf"))
    if not pdfs:
        raise SystemExit("no PDFs given and ../shared/realworld/documents is not there")
    print(f"{'file':28} {'pages':>5} {'report s':>9} {'chars':>8} {'pdfminer s':>11} {'chars':>8}")
    for path in pdfs:
        data = path.read_bytes()
        layer, ours = _timed(pdf_layer, data, path.name)
        text, theirs = _timed(_pdfminer, data)
        pages = len(layer.page_labels)
        miner = "-" if text is None else f"{theirs:11.2f} {len(text.strip()):8}"
        print(f"{path.name:28} {pages:5} {ours:9.2f} {len(layer.text):8} {miner}")


if __name__ == "__main__":
    main()
