"""Near-duplicate detection: a 64-bit SimHash of word 3-shingles, split into four 16-bit bands.

Two texts whose hashes differ in at most ``thresholds.SIMHASH_MAX_DISTANCE`` bits share at least one band exactly
(pigeonhole), so the store finds candidates with an indexed equality query on any band.
"""
from __future__ import annotations

import hashlib

import regex

WORDS = regex.compile(r"[\p{L}\p{N}]+")


def simhash(text: str) -> int:
    import numpy as np

    words = WORDS.findall(text.lower()) or [""]
    # Each distinct word is hashed once; a shingle's hash combines its three words' hashes, rotated
    # by position so that word order counts.
    table: dict[str, int] = {}
    ids = np.array([table.setdefault(w, len(table)) for w in words], dtype=np.int64)
    word_hashes = np.frombuffer(b"".join(hashlib.blake2b(w.encode(), digest_size=8).digest() for w in table),
                                dtype=">u8").astype(np.uint64)[ids]
    n = max(1, len(words) - 2)
    shingles = word_hashes[:n].copy()
    for offset, rotation in ((1, 21), (2, 42)):
        part = word_hashes[offset:offset + n] if len(words) > offset else np.zeros(n, dtype=np.uint64)
        part = np.pad(part, (0, n - len(part)))
        shingles ^= (part << np.uint64(rotation)) | (part >> np.uint64(64 - rotation))
    shingles = _splitmix64(shingles)     # a full mix, so shingles sharing words share no bits by accident
    # A bit is set in the SimHash where more shingles have it set than not.
    bits = np.unpackbits(shingles.astype(">u8").view(np.uint8)).reshape(n, 64)
    majority = bits.sum(axis=0) * 2 > n
    return int("".join("1" if b else "0" for b in majority), 2)


def _splitmix64(x):
    """The splitmix64 finaliser, vectorised (uint64 arithmetic wraps modulo 2**64)."""
    import numpy as np

    with np.errstate(over="ignore"):
        x = x + np.uint64(0x9E3779B97F4A7C15)
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return x ^ (x >> np.uint64(31))


def bands(h: int) -> tuple[int, int, int, int]:
    return tuple((h >> (16 * i)) & 0xFFFF for i in range(4))


def distance(a: int, b: int) -> int:
    return bin((a ^ b) & (2**64 - 1)).count("1")


def to_signed(h: int) -> int:
    """SQL BIGINT is signed: store the unsigned 64-bit hash in two's complement."""
    return h - 2**64 if h >= 2**63 else h


def to_unsigned(h: int) -> int:
    return h + 2**64 if h < 0 else h
