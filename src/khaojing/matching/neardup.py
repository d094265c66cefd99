"""Near duplicates: MinHash signatures of Thai character 5-shingles, banded into a compact LSH table (numpy arrays).

The band/row split is datasketch's optimum for the threshold; the table itself is numpy, because datasketch's
dict-of-sets storage costs about 8 KB and 0.7 ms per inserted claim, too much for a million claims.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

import numpy as np
from datasketch.lsh import _optimal_param

SHINGLE = 5
NUM_PERM = 128
_P = np.uint32(0x01000193)
_MASK32 = np.uint64(0xFFFFFFFF)


def compact(text: str) -> str:
    """The characters that shingles are taken from: no whitespace."""
    return "".join(text.split())


def shingles(text: str, size: int = SHINGLE) -> set[str]:
    text = compact(text)
    if len(text) <= size:
        return {text} if text else set()
    return {text[i:i + size] for i in range(len(text) - size + 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    common = len(a & b)
    return common / (len(a) + len(b) - common)  # |a ∪ b| without building the union


def _fmix32(h: np.ndarray) -> np.ndarray:
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


class MinHasher:
    """Vectorised MinHash: shingle hashes by a polynomial over code points, then `num_perm` affine permutations."""

    def __init__(self, num_perm: int = NUM_PERM, seed: int = 1):
        rng = np.random.RandomState(seed)
        self.num_perm = num_perm
        self.a = (rng.randint(1, 1 << 31, size=num_perm, dtype=np.int64) * 2 + 1).astype(np.uint32)
        self.b = rng.randint(0, 1 << 32, size=num_perm, dtype=np.int64).astype(np.uint32)

    def _shingle_hashes(self, codes: np.ndarray, starts: np.ndarray) -> np.ndarray:
        h = np.zeros(len(starts), dtype=np.uint32)
        with np.errstate(over="ignore"):
            for k in range(SHINGLE):
                h = h * _P + codes[starts + k]
            return _fmix32(h)

    def signatures(self, texts: Sequence[str]) -> np.ndarray:
        """One row of `num_perm` uint32 minima per text (texts without characters get all-max rows)."""
        out = np.full((len(texts), self.num_perm), np.iinfo(np.uint32).max, dtype=np.uint32)
        parts = [compact(t) for t in texts]
        chunk: list[int] = []
        size = 0
        for i, part in enumerate(parts):
            if part:
                chunk.append(i)
                size += max(len(part), SHINGLE)
            if size > 200_000:
                self._fill(out, chunk, parts)
                chunk, size = [], 0
        if chunk:
            self._fill(out, chunk, parts)
        return out

    def signature(self, text: str) -> np.ndarray:
        """The signature of one text (the same values as a row of `signatures`)."""
        part = compact(text)
        if not part:
            return np.full(self.num_perm, np.iinfo(np.uint32).max, dtype=np.uint32)
        codes = np.frombuffer(part.ljust(SHINGLE, "\0").encode("utf-32-le"), dtype=np.uint32)
        count = len(codes) - SHINGLE + 1
        hashes = np.zeros(count, dtype=np.uint32)
        with np.errstate(over="ignore"):
            for k in range(SHINGLE):  # _shingle_hashes, with slices (one text: its shingles start everywhere)
                hashes = hashes * _P + codes[k:k + count]
            hashes = _fmix32(hashes)
        with np.errstate(over="ignore"):
            permuted = self.a[:, None] * hashes[None, :]
            permuted += self.b[:, None]
            permuted ^= permuted >> np.uint32(15)
        return permuted.min(axis=1)

    def _fill(self, out: np.ndarray, rows: list[int], parts: list[str]) -> None:
        padded = [parts[i].ljust(SHINGLE, "\0") for i in rows]
        lengths = np.fromiter((len(p) for p in padded), dtype=np.int64, count=len(padded))
        codes = np.frombuffer("".join(padded).encode("utf-32-le"), dtype=np.uint32)
        ends = np.cumsum(lengths)
        counts = lengths - SHINGLE + 1
        doc_starts = ends - lengths
        within = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        starts = np.repeat(doc_starts, counts) + within
        hashes = self._shingle_hashes(codes, starts)
        offsets = np.concatenate([[0], np.cumsum(counts)[:-1]])
        with np.errstate(over="ignore"):
            for lo in range(0, self.num_perm, 16):
                permuted = self.a[lo:lo + 16, None] * hashes[None, :]
                permuted += self.b[lo:lo + 16, None]
                permuted ^= permuted >> np.uint32(15)
                out[rows, lo:lo + 16] = np.minimum.reduceat(permuted, offsets, axis=1).T


class NearDupIndex:
    """LSH over MinHash bands: `candidates(text)` returns claims likely to share at least `threshold` of their
    5-shingles (verify them with `jaccard` on the texts). The owner removes a claim before adding it again.

    All bands live in one sorted uint64 array of (band << 32 | band key) with a parallel int32 array of claim ids
    (12 bytes per band per claim); recent additions wait in a dict until the next merge."""

    def __init__(self, threshold: float = 0.5, num_perm: int = NUM_PERM, rebuild_min: int = 5000):
        self.threshold = threshold
        self.bands, self.rows = _optimal_param(threshold, num_perm, 0.5, 0.5)
        self.hasher = MinHasher(num_perm)
        rng = np.random.RandomState(7)
        self._mix = rng.randint(1, 1 << 62, size=self.rows, dtype=np.int64).astype(np.uint64) | np.uint64(1)
        self._band_tag = np.arange(self.bands, dtype=np.uint64) << np.uint64(32)
        self._keys = np.zeros(0, dtype=np.uint64)
        self._ids = np.zeros(0, dtype=np.int32)
        self._delta: dict[int, list[int]] = defaultdict(list)
        self._delta_keys: dict[int, np.ndarray] = {}
        self._replaced: set[int] = set()  # removed (or re-added) since the last merge: their sorted entries are stale
        self._count = 0
        self._blocks: list[tuple[np.ndarray, np.ndarray]] = []  # bulk additions waiting for the next merge
        self.bulk = False  # while True, additions wait in blocks (a build from the database merges once)
        self.rebuild_min = rebuild_min

    def __len__(self) -> int:
        return self._count

    def band_keys(self, signatures: np.ndarray) -> np.ndarray:
        """(n, bands) uint64 keys: band number in the high half, the band's rows folded by a multiply-add below."""
        sig = signatures[:, :self.bands * self.rows].astype(np.uint64).reshape(len(signatures), self.bands, self.rows)
        with np.errstate(over="ignore"):
            folded = (sig * self._mix[None, None, :]).sum(axis=2, dtype=np.uint64)
        return (folded >> np.uint64(32)) | self._band_tag[None, :]

    def add_many(self, items: Iterable[tuple[int, str]]) -> None:
        pairs = [(cid, text) for cid, text in items if compact(text)]
        if not pairs:
            return
        keys = self.band_keys(self.hasher.signatures([t for _, t in pairs]))
        if len(pairs) >= self.rebuild_min or self.bulk:
            self._blocks.append((np.fromiter((cid for cid, _ in pairs), dtype=np.int32, count=len(pairs)), keys))
            self._count += len(pairs)
            if not self.bulk:
                self.rebuild()
            return
        for row, (cid, _) in enumerate(pairs):
            self._delta_keys[cid] = keys[row]
            for key in keys[row].tolist():
                self._delta[key].append(cid)
        self._count += len(pairs)
        if len(self._delta_keys) > max(self.rebuild_min, self._count // 10):
            self.rebuild()

    def add(self, claim_id: int, text: str) -> None:
        self.add_many([(claim_id, text)])

    def remove(self, claim_id: int) -> None:
        """Forget a claim that was added (a claim without characters was never added: removing it is harmless)."""
        keys = self._delta_keys.pop(claim_id, None)
        if keys is not None:
            for key in keys.tolist():
                bucket = self._delta.get(key)
                if bucket and claim_id in bucket:
                    bucket.remove(claim_id)
            self._count -= 1
        elif claim_id not in self._replaced and bool(np.any(self._ids == claim_id)):
            self._count -= 1
        self._replaced.add(claim_id)

    def rebuild(self) -> None:
        """Merge recent additions into the sorted arrays and drop stale entries."""
        replaced = np.fromiter(self._replaced, dtype=np.int64, count=len(self._replaced))
        keep = ~np.isin(self._ids, replaced) if len(replaced) else np.ones(len(self._ids), dtype=bool)
        new_ids = [np.repeat(np.fromiter(self._delta_keys, dtype=np.int32, count=len(self._delta_keys)), self.bands)]
        new_keys = [np.concatenate(list(self._delta_keys.values())) if self._delta_keys
                    else np.zeros(0, dtype=np.uint64)]
        for ids, keys in self._blocks:
            new_ids.append(np.repeat(ids, self.bands))
            new_keys.append(keys.reshape(-1))
        keys = np.concatenate([self._keys[keep], *new_keys])
        ids = np.concatenate([self._ids[keep], *new_ids])
        order = np.argsort(keys, kind="stable")
        self._keys, self._ids = keys[order], ids[order]
        self._delta, self._delta_keys, self._replaced, self._blocks = defaultdict(list), {}, set(), []

    def candidates(self, text: str) -> set[int]:
        if not compact(text):
            return set()
        if self._blocks:
            self.rebuild()
        keys = self.band_keys(self.hasher.signature(text)[None, :])[0]
        lo = np.searchsorted(self._keys, keys, "left")
        held = lo < len(self._keys)
        held[held] = self._keys[lo[held]] == keys[held]  # most bands of a new text are in no bucket: no second search
        hits = []
        if held.any():
            hi = np.searchsorted(self._keys, keys[held], "right")
            hits = [self._ids[a:b] for a, b in zip(lo[held].tolist(), hi.tolist(), strict=True)]
        found = set(np.concatenate(hits).tolist()) - self._replaced if hits else set()
        if self._delta:
            for key in keys.tolist():
                found.update(self._delta.get(key, ()))
        return found

    def memory_bytes(self) -> int:
        return int(self._keys.nbytes + self._ids.nbytes)
