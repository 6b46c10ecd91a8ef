"""Copied narrative: how much of one text is another's, by character shingles and MinHash LSH.

Pure Python, no dependency: a one-permutation MinHash (Shrivastava & Li, 2014) hashes every shingle once and
keeps the minimum per bin, so a signature costs one pass over the text instead of one pass per permutation.
Its bins are grouped into bands; two texts that agree on every bin of any band are candidates. A candidate whose
signature estimates the similarity well below the threshold is dropped unread; the others are kept only when
the exact Jaccard similarity of the two shingle sets reaches the rule pack's threshold. Signatures and verdict
are integers and set arithmetic, so SQLite and PostgreSQL give the same results.

With ``BANDS`` × ``ROWS`` = 20 × 4 a pair becomes a candidate with probability 1 − (1 − J⁴)²⁰: 0.996 at a
Jaccard of 0.7, 0.93 at 0.6, 0.72 at 0.5, and 0.2 % for unrelated texts on the same topic (J ≈ 0.1), so a
query against a province's season verifies a handful of candidates, not thousands. A paragraph with 5 % of its
characters changed keeps a Jaccard of about 0.75. Hence the rule pack's threshold lies between 0.5 and 1.
"""

import re
import struct
import unicodedata
import zlib
from dataclasses import dataclass
from decimal import Decimal
from difflib import SequenceMatcher
from operator import eq

SHINGLE = 3  # characters: Chinese words are one to four characters, so three catch phrasing, not vocabulary
MIN_CHARS = 30  # shorter texts (「无」, one sentence of boilerplate) say nothing about copying
BANDS = 20
ROWS = 4
BINS = BANDS * ROWS
# The estimate from 80 bins has a standard error of at most 0.056; 0.2 below the threshold keeps every pair
# whose exact similarity can reach it (3.5 standard errors).
ESTIMATE_MARGIN = Decimal("0.2")
_PACKED = f"<{BINS}Q"
_MASK64 = (1 << 64) - 1
_MULTIPLIER = 0x9E3779B97F4A7C15  # odd, so the product is a bijection of the 64-bit values
# Everything but letters, digits and CJK ideographs is dropped: copying survives re-punctuation and spacing.
_DROP = re.compile(r"[^\w]|_", re.UNICODE)


def normalise(text: str) -> str:
    text = _DROP.sub("", text or "")
    if not unicodedata.is_normalized("NFKC", text):  # full-width letters and digits; rare, and costly to test
        text = _DROP.sub("", unicodedata.normalize("NFKC", text))
    return text.lower()


def shingles(text: str) -> frozenset[int]:
    """The character shingles of a normalised text, each as the CRC-32 of its UTF-32 bytes (four bytes a
    character, so a shingle is a slice and needs no encoding of its own). Empty when the text is too short.
    CRC-32 is stable across processes, unlike str.__hash__, and two shingles share a value once in 4·10⁹."""
    if len(text) < MIN_CHARS:
        return frozenset()
    raw = text.encode("utf-32-le")
    width = 4 * SHINGLE
    return frozenset(map(zlib.crc32, [raw[i : i + width] for i in range(0, len(raw) - width + 4, 4)]))


def signature(shingle_set: frozenset[int]) -> tuple[int, ...]:
    """One-permutation MinHash: a multiplicative hash of each shingle picks its bin (the remainder) and competes
    for the bin's minimum (the high bits). Empty bins borrow from the next filled one, shifted by the distance
    (rotation densification), so similar sets still agree there."""
    hashes = sorted([(value * _MULTIPLIER) & _MASK64 for value in shingle_set], reverse=True)
    mins = {h % BINS: h >> 16 for h in hashes}  # descending, so each bin keeps its last, smallest, value
    if len(mins) < BINS:
        for b in range(BINS):
            offset = 1
            while b not in mins or mins[b] is None:
                source = mins.get((b + offset) % BINS)
                mins[b] = None if source is None else source + (offset << 48)
                offset += 1
    return tuple(mins[b] for b in range(BINS))


def pack_signature(sig: tuple[int, ...]) -> bytes:
    return struct.pack(_PACKED, *sig)


def unpack_signature(data: bytes) -> tuple[int, ...]:
    return struct.unpack(_PACKED, bytes(data))


def band_keys(packed: bytes) -> tuple[int, ...]:
    """One key per band (the CRC-32 of its bins), equal when the band's bins are equal."""
    width = 8 * ROWS
    return tuple(map(zlib.crc32, [packed[i : i + width] for i in range(0, len(packed), width)]))


def likely_similar(a: tuple[int, ...], b: tuple[int, ...], threshold: Decimal) -> bool:
    """The signatures' estimate of the Jaccard similarity (the share of equal bins) is within ``ESTIMATE_MARGIN``
    of the threshold: worth reading the texts for the exact figure. Cheap, so candidates from the bands that
    only share stock phrases are dropped before any text is read."""
    equal = sum(map(eq, a, b))
    return equal >= (threshold - ESTIMATE_MARGIN) * BINS


@dataclass(frozen=True)
class Fingerprint:
    shingles: frozenset[int]
    signature: tuple[int, ...]
    packed: bytes  # the signature as stored
    bands: tuple[int, ...]


def fingerprint(text: str) -> Fingerprint | None:
    """None for a text too short to judge."""
    found = shingles(normalise(text))
    if not found:
        return None
    sig = signature(found)
    packed = pack_signature(sig)
    return Fingerprint(found, sig, packed, band_keys(packed))


def jaccard(a: frozenset[int], b: frozenset[int]) -> Decimal:
    """|A ∩ B| ÷ |A ∪ B| of two shingle sets, rounded to 2 places (exact: no estimate reaches the verdict)."""
    if not a or not b:
        return Decimal(0)
    inter = len(a & b)
    return (Decimal(inter) / Decimal(len(a) + len(b) - inter)).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class Segment:
    text: str
    shared: bool  # part of a passage both texts contain


def side_by_side(a: str, b: str, min_chars: int = 8) -> tuple[list[Segment], list[Segment]]:
    """Both texts cut into segments, the passages they share (at least ``min_chars`` long) marked, so a
    reviewer sees what was copied where."""
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    blocks = [m for m in matcher.get_matching_blocks() if m.size >= min_chars]

    def cut(text: str, spans: list[tuple[int, int]]) -> list[Segment]:
        out, at = [], 0
        for start, size in spans:
            if start > at:
                out.append(Segment(text[at:start], False))
            out.append(Segment(text[start : start + size], True))
            at = start + size
        if at < len(text):
            out.append(Segment(text[at:], False))
        return out

    return cut(a, [(m.a, m.size) for m in blocks]), cut(b, [(m.b, m.size) for m in blocks])
