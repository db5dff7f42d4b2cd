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

    words = WORDS.findall(text.lower())
    shingles = [" ".join(words[i:i + 3]) for i in range(max(1, len(words) - 2))]
    digests = b"".join(hashlib.blake2b(s.encode(), digest_size=8).digest() for s in shingles)
    # One row of 64 bits per shingle (big-endian bytes, most significant bit first): a bit is set in
    # the SimHash where more shingles have it set than not.
    bits = np.unpackbits(np.frombuffer(digests, dtype=np.uint8)).reshape(len(shingles), 64)
    majority = bits.sum(axis=0) * 2 > len(shingles)
    return int("".join("1" if b else "0" for b in majority), 2)


def bands(h: int) -> tuple[int, int, int, int]:
    return tuple((h >> (16 * i)) & 0xFFFF for i in range(4))


def distance(a: int, b: int) -> int:
    return bin((a ^ b) & (2**64 - 1)).count("1")


def to_signed(h: int) -> int:
    """SQL BIGINT is signed: store the unsigned 64-bit hash in two's complement."""
    return h - 2**64 if h >= 2**63 else h


def to_unsigned(h: int) -> int:
    return h + 2**64 if h < 0 else h
