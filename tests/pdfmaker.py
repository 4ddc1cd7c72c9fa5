"""Hand-made PDFs for the tests of what WeasyPrint does not write: text inside a Form XObject,
an invisible OCR layer over a scanned image, an image alone, streams that inflate without
bound. Each object is written as text; the cross-reference table is computed."""

from __future__ import annotations

import zlib
from pathlib import Path

_HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"


def text_ops(lines: list[str], x: float = 72, top: float = 720, size: float = 11,
             mode: int = 0) -> bytes:  # fmt: skip
    """Content-stream operators that draw `lines` one under the other (render `mode` 3 is
    invisible, as an OCR layer is)."""
    out = [f"BT /F1 {size} Tf {mode} Tr {size * 1.3:.1f} TL {x} {top} Td".encode()]
    for line in lines:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        out.append(b"(" + escaped.encode("cp1252") + b") Tj T*")
    out.append(b"ET")
    return b"\n".join(out)


def write_pdf(
    path: Path,
    pages: list[bytes],
    form: bytes | None = None,
    image: bool = False,
    deflate_pad: int = 0,
) -> Path:
    """A PDF of letter-size pages drawn by the content streams `pages`. `form`: the content
    of a Form XObject /Fm1 the pages may draw (`/Fm1 Do`); `image`: a gray image /Im1 they
    may draw; `deflate_pad`: bytes of white space appended to each content stream, which is
    then Flate-compressed (a stream that inflates far beyond its size)."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    def stream(data: bytes, extra: bytes = b"") -> bytes:
        return b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"

    catalog = add(b"")  # filled in below
    tree = add(b"")
    font = add(_HELVETICA)
    resources = [b"/Font << /F1 %d 0 R >>" % font]
    xobjects = []
    if form is not None:
        fm = add(stream(form, b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] "
                              b"/Resources << /Font << /F1 %d 0 R >> >>" % font))  # fmt: skip
        xobjects.append(b"/Fm1 %d 0 R" % fm)
    if image:
        pixels = zlib.compress(bytes([200]) * 64)
        kind = b"/Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray"
        im = add(stream(pixels, kind + b" /BitsPerComponent 8 /Filter /FlateDecode"))
        xobjects.append(b"/Im1 %d 0 R" % im)
    if xobjects:
        resources.append(b"/XObject << " + b" ".join(xobjects) + b" >>")
    kids = []
    for content in pages:
        if deflate_pad:
            packed = zlib.compressobj(9)
            data = packed.compress(content + b"\n")
            chunk = b" " * (1 << 20)
            for _ in range(deflate_pad >> 20):
                data += packed.compress(chunk)
            data += packed.flush()
            c = add(stream(data, b"/Filter /FlateDecode"))
        else:
            c = add(stream(content))
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
                        b"/Resources << %s >> >>" % (tree, c, b" ".join(resources))))  # fmt: skip
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % tree
    objects[tree - 1] = b"<< /Type /Pages /Count %d /Kids [%s] >>" % (
        len(kids),
        b" ".join(b"%d 0 R" % k for k in kids),
    )
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        catalog,
        xref,
    )
    path.write_bytes(bytes(out))
    return path
