"""A compact map from positions in a derived text back to positions in the text it came from.

Each transformation (markup removal, normalisation) copies most of its input unchanged, so
the map is stored as runs: a run either copies its input one to one ("identity") or stands
for a replaced span (every output character maps to the span's start). Lookup is a bisect,
memory is proportional to the number of edits, not to the text's length.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right


class OffsetMap:
    """Maps output offsets to input offsets; built by appending runs in output order."""

    __slots__ = ("_ident", "_out", "_src", "length")

    def __init__(self) -> None:
        self._out = array("q")
        self._src = array("q")
        self._ident = bytearray()
        self.length = 0  # length of the output covered so far

    def add(self, length: int, src: int, identity: bool = True) -> None:
        """Append a run of `length` output characters whose input starts at `src`."""
        if length <= 0:
            return
        if (
            identity
            and self._ident
            and self._ident[-1]
            and self._src[-1] + (self.length - self._out[-1]) == src
        ):
            self.length += length  # extends the previous identity run
            return
        self._out.append(self.length)
        self._src.append(src)
        self._ident.append(1 if identity else 0)
        self.length += length

    def __call__(self, pos: int) -> int:
        """The input offset of output offset `pos` (pos == length maps past the end)."""
        if not self._out:
            return pos
        k = bisect_right(self._out, pos) - 1
        if k < 0:
            return self._src[0]
        if self._ident[k]:
            return self._src[k] + (pos - self._out[k])
        return self._src[k]

    def inverse(self, src: int) -> int:
        """The first output offset whose input offset is >= src (for mapping boundaries)."""
        if not self._src:
            return src
        k = bisect_right(self._src, src) - 1
        if k < 0:
            return 0
        run_end = self._out[k + 1] if k + 1 < len(self._out) else self.length
        if self._ident[k]:
            return min(self._out[k] + (src - self._src[k]), run_end)
        return self._out[k] if src == self._src[k] else run_end

    def then(self, outer: OffsetMap) -> OffsetMap:
        """This map followed by `outer` (self: out -> mid, outer: mid -> src), run by run."""
        chained = OffsetMap()
        n = len(self._out)
        for k in range(n):
            out_start, mid = self._out[k], self._src[k]
            length = (self._out[k + 1] if k + 1 < n else self.length) - out_start
            if not self._ident[k]:
                chained.add(length, outer(mid), identity=False)
                continue
            while length > 0:  # split the identity run where `outer`'s runs change
                j = bisect_right(outer._out, mid) - 1
                if j < 0:
                    chained.add(length, outer(mid), identity=False)
                    break
                run_end = outer._out[j + 1] if j + 1 < len(outer._out) else outer.length
                step = max(1, min(length, run_end - mid))
                chained.add(step, outer(mid), identity=bool(outer._ident[j]))
                mid += step
                length -= step
        return chained

    def runs(self) -> int:
        return len(self._out)

    def to_state(self) -> tuple[bytes, bytes, bytes, int]:
        """A picklable, compact form (for the on-disk cache)."""
        return self._out.tobytes(), self._src.tobytes(), bytes(self._ident), self.length

    @classmethod
    def from_state(cls, state: tuple[bytes, bytes, bytes, int]) -> OffsetMap:
        m = cls()
        m._out.frombytes(state[0])
        m._src.frombytes(state[1])
        m._ident = bytearray(state[2])
        m.length = state[3]
        return m
