"""The built index in ``index/``: faiss vectors, the units they stand for, a manifest.

Every file is written to a temporary name and ``os.replace``d, the manifest last; the
manifest records the model, dimension, knowledge hash, unit hash and a checksum of each
file, so a stale, foreign or corrupted index (faiss loads a flipped byte silently) is
detected and rebuilt. Embeddings are cached by text hash: a one-line edit re-embeds one
unit, not the course.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np

from bot import __version__
from bot.index.embedder import Embedder
from bot.index.units import Unit, build_units
from bot.knowledge import Course

log = logging.getLogger(__name__)

FORMAT = 1
VECTORS, UNITS, CACHE, MANIFEST = "vectors.faiss", "units.json", "cache.npz", "manifest.json"
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Index:
    units: tuple[Unit, ...]
    vectors: faiss.Index
    manifest: dict

    def search(self, query: np.ndarray, k: int | None = None) -> list[tuple[int, float]]:
        """(unit position, cosine) pairs, best first."""
        k = min(k or len(self.units), len(self.units))
        scores, ids = self.vectors.search(query.reshape(1, -1).astype(np.float32), k)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]


class StaleIndex(Exception):
    """The index on disk is missing, stale or damaged (the reason is the message)."""


def text_key(model: str, text: str) -> str:
    return hashlib.sha256(f"{model}\0{text}".encode()).hexdigest()[:32]


def units_hash(units: list[Unit]) -> str:
    digest = hashlib.sha256()
    for u in units:
        digest.update(json.dumps(u.to_json(), sort_keys=True).encode())
    return digest.hexdigest()


def open_index(course: Course, embedder: Embedder, directory: Path, progress: Progress | None = None) -> Index:
    """The index for this course and model: loaded if current and intact, else rebuilt."""
    units = build_units(course)
    try:
        return load_index(directory, course, embedder, units)
    except StaleIndex as exc:
        log.info("rebuilding the index: %s", exc)
        return build_index(course, embedder, directory, progress, units)


def load_index(directory: Path, course: Course, embedder: Embedder, units: list[Unit]) -> Index:
    manifest = _read_manifest(directory)
    expected = {"format": FORMAT, "model": embedder.name, "dim": embedder.dim,
                "knowledge_hash": course.source_hash, "units_hash": units_hash(units)}
    for key, value in expected.items():
        if manifest.get(key) != value:
            raise StaleIndex(f"{key} changed")
    for name in (VECTORS, UNITS):
        if _sha256(directory / name) != manifest["files"].get(name):
            raise StaleIndex(f"{name} does not match its checksum")
    try:
        vectors = faiss.read_index(str(directory / VECTORS))
    except RuntimeError as exc:
        raise StaleIndex(f"{VECTORS} is unreadable") from exc
    if vectors.ntotal != len(units) or vectors.d != embedder.dim:
        raise StaleIndex("vector count or dimension is wrong")
    return Index(tuple(units), vectors, manifest)


def _read_manifest(directory: Path) -> dict:
    try:
        manifest = json.loads((directory / MANIFEST).read_text("utf-8"))
    except FileNotFoundError as exc:
        raise StaleIndex("no index yet") from exc
    except (OSError, ValueError) as exc:
        raise StaleIndex("manifest is unreadable") from exc
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        raise StaleIndex("manifest is malformed")
    return manifest


def build_index(
    course: Course,
    embedder: Embedder,
    directory: Path,
    progress: Progress | None = None,
    units: list[Unit] | None = None,
) -> Index:
    """Embed every unit (reusing cached vectors), write all files atomically, manifest last."""
    units = units if units is not None else build_units(course)
    directory.mkdir(parents=True, exist_ok=True)
    cache = _read_cache(directory)
    keys = [text_key(embedder.name, u.text) for u in units]
    missing = sorted({k: u.text for k, u in zip(keys, units, strict=True) if k not in cache}.items())
    _embed_missing(embedder, missing, cache, progress)
    matrix = np.stack([cache[k] for k in keys]) if keys else np.zeros((0, embedder.dim), np.float32)
    vectors = faiss.IndexFlatIP(embedder.dim)
    vectors.add(matrix)
    _write_atomic(directory / VECTORS, faiss.serialize_index(vectors).tobytes())
    _write_atomic(directory / UNITS, json.dumps([u.to_json() for u in units], indent=1).encode())
    _write_cache(directory, {k: cache[k] for k in set(keys)})
    manifest = _manifest(directory, course, embedder, units, reused=len(units) - len(missing))
    _write_atomic(directory / MANIFEST, json.dumps(manifest, indent=2).encode())
    return Index(tuple(units), vectors, manifest)


def _embed_missing(embedder: Embedder, missing: list[tuple[str, str]], cache: dict, progress: Progress | None):
    batch = 64
    for start in range(0, len(missing), batch):
        chunk = missing[start : start + batch]
        for (key, _), vector in zip(chunk, embedder.encode([t for _, t in chunk]), strict=True):
            cache[key] = vector
        if progress:
            progress(min(start + batch, len(missing)), len(missing))


def _manifest(directory: Path, course: Course, embedder: Embedder, units: list[Unit], reused: int) -> dict:
    import sentence_transformers

    return {
        "format": FORMAT,
        "model": embedder.name,
        "dim": embedder.dim,
        "knowledge_hash": course.source_hash,
        "units_hash": units_hash(units),
        "units": len(units),
        "reused_embeddings": reused,
        "files": {name: _sha256(directory / name) for name in (VECTORS, UNITS)},
        "versions": {"coursebot": __version__, "faiss": faiss.__version__,
                     "sentence_transformers": sentence_transformers.__version__, "numpy": np.__version__},
        "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def _read_cache(directory: Path) -> dict[str, np.ndarray]:
    try:
        with np.load(directory / CACHE, allow_pickle=False) as data:
            return dict(zip(data["keys"].tolist(), data["vectors"], strict=True))
    except (OSError, ValueError, KeyError):
        return {}


def _write_cache(directory: Path, cache: dict[str, np.ndarray]) -> None:
    keys = sorted(cache)
    with tempfile.NamedTemporaryFile(dir=directory, suffix=".npz", delete=False) as tmp:
        vectors = np.stack([cache[k] for k in keys]) if keys else np.zeros((0, 1), np.float32)
        np.savez(tmp, keys=np.array(keys, dtype="U32"), vectors=vectors)
    os.replace(tmp.name, directory / CACHE)


def _write_atomic(path: Path, data: bytes) -> None:
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", delete=False) as tmp:
        tmp.write(data)
        tmp.flush()
        os.fsync(tmp.fileno())
    os.replace(tmp.name, path)


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None
