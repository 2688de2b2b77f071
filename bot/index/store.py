"""One course's built index: faiss vectors, the units they stand for, a manifest.

The folder is ``index/<course>-<hash>/`` (see ``bot.index.layout``). Every file is written
to a temporary name and ``os.replace``d, the manifest last; the manifest records the
model, the encoder, the dimension, the knowledge hash, the unit hash and a checksum of
each file (taken from the bytes written), so a stale, foreign or corrupted index (faiss
loads a flipped byte silently) is detected and rebuilt. Builders hold the folder's lock;
readers need none.

Everything here is disposable: a damaged embedding cache is dropped and re-embedded, a
crashed builder's temporary files are removed (by the next build, or by the next open when
no build is running), and a folder that cannot be written gives one ``IndexBuildError`` line
instead of a traceback. Artefacts are read only as regular files, never through a symlink,
and only up to a cap (``layout.read_artefact``): a FIFO, a directory, a symlink (a loop, or
to /dev/zero) or an oversized file where an artefact belongs is damage, removed by the
rebuild it causes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import faiss
import numpy as np

import bot.index.layout as layout
from bot import __version__
from bot.index.embedder import Embedder
from bot.index.errors import IndexBuildError
from bot.index.units import Unit, build_units
from bot.knowledge import Course

log = logging.getLogger(__name__)

FORMAT = 2  # 2: the encoder is recorded and checked; embeddings are cached per encoder
VECTORS, UNITS, CACHE, MANIFEST, EXTRA = "vectors.faiss", "units.json", "cache.npz", "manifest.json", "extra.npy"
ARTEFACTS = (MANIFEST, VECTORS, UNITS, CACHE, EXTRA)
# Far above what a course writes (10,000 units: vectors 15 MB, units a few MB, manifest 2 KB); the caps only
# stop a runaway read.
MAX_BYTES = {MANIFEST: 16 << 20, VECTORS: 2 << 30, UNITS: 1 << 30, CACHE: 2 << 30, EXTRA: 1 << 30}
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Index:
    units: tuple[Unit, ...]
    vectors: faiss.Index
    manifest: dict[str, Any]
    embedded: int = 0  # units embedded by the build that made this object (0: loaded as it was)
    extra: np.ndarray | None = None  # vectors of the caller's extra texts (the planner's canonical questions)

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


def open_index(course: Course, embedder: Embedder, directory: Path, progress: Progress | None = None,
               extra: Sequence[str] = ()) -> Index:
    """The index for this course and encoder: loaded if current and intact, else rebuilt.

    ``extra`` texts (the answer engine's canonical questions) are embedded with the units and kept
    beside them, so a cold process does not embed them again. Raises IndexBuildError (one line)
    when the index must be rebuilt and cannot be written.
    """
    units = build_units(course)
    embedder.prepare()  # decides the encoder; exports the model to ONNX if that was never done
    embedder.remove_leftovers()  # on every open: a reload does not export again, so it would not see them
    try:
        index = load_index(directory, course, embedder, units, extra)
    except StaleIndex as exc:
        reason = str(exc)
    else:
        layout.remove_idle_leftovers(directory)
        return index
    with _building(directory):
        try:
            return load_index(directory, course, embedder, units, extra)  # built by another process meanwhile
        except StaleIndex:
            pass
        log.info("rebuilding the index in %s: %s", directory, reason)
        return _build(course, embedder, directory, units, progress, extra)


def build_index(
    course: Course,
    embedder: Embedder,
    directory: Path,
    progress: Progress | None = None,
    units: list[Unit] | None = None,
    extra: Sequence[str] = (),
) -> Index:
    """Embed every unit and extra text (reusing cached vectors), write all files atomically, manifest last."""
    units = units if units is not None else build_units(course)
    embedder.prepare()
    with _building(directory):
        return _build(course, embedder, directory, units, progress, extra)


def load_index(directory: Path, course: Course, embedder: Embedder, units: list[Unit],
               extra: Sequence[str] = ()) -> Index:
    manifest = _read_manifest(directory)
    encoder = embedder.prepare()
    expected = {"format": FORMAT, "model": embedder.name, "dim": embedder.dim,
                "knowledge_hash": course.source_hash, "units_hash": units_hash(units),
                "extra_hash": texts_hash(extra)}
    for key, value in expected.items():
        if manifest.get(key) != value:
            raise StaleIndex(f"{key} changed")
    recorded = manifest.get("encoder")
    if not isinstance(recorded, dict) or [recorded.get("kind"), recorded.get("precision")] != [
            encoder["kind"], encoder["precision"]]:
        raise StaleIndex("the encoder changed")
    if _sha256(directory / UNITS) != manifest["files"].get(UNITS):
        raise StaleIndex(f"{UNITS} does not match its checksum")
    data = _read(directory, VECTORS)
    if hashlib.sha256(data).hexdigest() != manifest["files"].get(VECTORS):
        raise StaleIndex(f"{VECTORS} does not match its checksum")
    try:
        vectors = faiss.deserialize_index(np.frombuffer(data, dtype=np.uint8))
    except RuntimeError as exc:
        raise StaleIndex(f"{VECTORS} is unreadable") from exc
    if vectors.ntotal != len(units) or vectors.d != embedder.dim:
        raise StaleIndex("vector count or dimension is wrong")
    return Index(tuple(units), vectors, manifest, extra=_load_extra(directory, manifest, extra, embedder.dim))


def texts_hash(texts: Sequence[str]) -> str:
    return hashlib.sha256("\0".join(texts).encode()).hexdigest()


def _load_extra(directory: Path, manifest: dict[str, Any], extra: Sequence[str], dim: int) -> np.ndarray | None:
    if not extra:
        return None
    data = _read(directory, EXTRA)
    if hashlib.sha256(data).hexdigest() != manifest["files"].get(EXTRA):
        raise StaleIndex(f"{EXTRA} does not match its checksum")
    try:
        matrix = np.load(io.BytesIO(data), allow_pickle=False)
    except (OSError, ValueError) as exc:
        raise StaleIndex(f"{EXTRA} is unreadable") from exc
    if matrix.shape != (len(extra), dim):
        raise StaleIndex(f"{EXTRA} has the wrong shape")
    return matrix.astype(np.float32, copy=False)


def _read_manifest(directory: Path) -> dict[str, Any]:
    data = _read(directory, MANIFEST, missing="no index yet")
    try:
        manifest = json.loads(data.decode("utf-8"))
    except (ValueError, RecursionError) as exc:  # RecursionError: '[[[[…' nested 100,000 deep
        raise StaleIndex("manifest is unreadable") from exc
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        raise StaleIndex("manifest is malformed")
    return manifest


@contextmanager
def _building(directory: Path) -> Iterator[None]:
    """The folder's build lock; a write that fails becomes one IndexBuildError line."""
    with layout.folder_lock(directory, "the index"):
        try:
            yield
        except OSError as exc:
            raise IndexBuildError(directory, f"cannot write the index: {layout.describe_os_error(exc)}") from exc


def _read(directory: Path, name: str, missing: str | None = None) -> bytes:
    """An artefact's bytes; StaleIndex (one line naming the file) if it is missing or is not a plain file."""
    try:
        return layout.read_artefact(directory / name, MAX_BYTES[name])
    except FileNotFoundError as exc:
        raise StaleIndex(missing or f"{name} is missing") from exc
    except layout.DamagedArtefact as exc:
        raise StaleIndex(str(exc)) from exc


def _build(course: Course, embedder: Embedder, directory: Path, units: list[Unit],
           progress: Progress | None, extra: Sequence[str]) -> Index:
    layout.remove_leftovers(directory)
    for name in ARTEFACTS:  # a directory or FIFO where a file belongs: os.replace cannot (or should not) keep it
        layout.remove_intruder(directory / name)
    encoder = embedder.prepare()
    cache = _read_cache(directory, embedder.dim)
    texts = [u.text for u in units] + list(extra)
    keys = [text_key(embedder.cache_key, t) for t in texts]
    missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in cache}.items(),
                     key=lambda item: (len(item[1]), item[0]))  # like lengths in a batch: little padding
    _embed_missing(embedder, missing, cache, progress)
    unit_keys, extra_keys = keys[: len(units)], keys[len(units) :]
    matrix = np.stack([cache[k] for k in unit_keys]) if unit_keys else np.zeros((0, embedder.dim), np.float32)
    vectors = faiss.IndexFlatIP(embedder.dim)
    vectors.add(matrix)
    extra_matrix = np.stack([cache[k] for k in extra_keys]).astype(np.float32) if extra_keys else None
    written = {VECTORS: faiss.serialize_index(vectors).tobytes(),
               UNITS: json.dumps([u.to_json() for u in units], indent=1).encode()}
    if extra_matrix is not None:
        buffer = io.BytesIO()
        np.save(buffer, extra_matrix, allow_pickle=False)
        written[EXTRA] = buffer.getvalue()
    for name, data in written.items():
        layout.write_atomic(directory / name, data)
    layout.write_atomic(directory / CACHE, _cache_bytes({k: cache[k] for k in set(keys)}, embedder.dim))
    manifest = {
        "format": FORMAT,
        "model": embedder.name,
        "encoder": encoder,
        "dim": embedder.dim,
        "knowledge_hash": course.source_hash,
        "units_hash": units_hash(units),
        "extra_hash": texts_hash(extra),
        "units": len(units),
        "reused_embeddings": len(units) - len(missing),
        "files": {name: hashlib.sha256(data).hexdigest() for name, data in written.items()},
        "versions": {"coursebot": __version__, "faiss": faiss.__version__, "numpy": np.__version__,
                     "sentence_transformers": encoder["versions"].get("sentence-transformers"),
                     "onnxruntime": encoder["versions"].get("onnxruntime")},
        "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    layout.write_atomic(directory / MANIFEST, json.dumps(manifest, indent=2).encode())
    return Index(tuple(units), vectors, manifest, embedded=len(missing), extra=extra_matrix)


def _embed_missing(embedder: Embedder, missing: list[tuple[str, str]], cache: dict[str, np.ndarray],
                   progress: Progress | None) -> None:
    batch = 64
    for start in range(0, len(missing), batch):
        chunk = missing[start : start + batch]
        for (key, _), vector in zip(chunk, embedder.encode([t for _, t in chunk]), strict=True):
            cache[key] = vector
        if progress:
            progress(min(start + batch, len(missing)), len(missing))


def _read_cache(directory: Path, dim: int) -> dict[str, np.ndarray]:
    """Cached embeddings by text key; anything damaged, foreign or of the wrong shape is dropped."""
    path = directory / CACHE
    try:
        with np.load(io.BytesIO(layout.read_artefact(path, MAX_BYTES[CACHE])), allow_pickle=False) as data:
            keys, vectors, checksum = data["keys"], data["vectors"], str(data["checksum"])
            if (vectors.dtype != np.float32 or vectors.ndim != 2 or vectors.shape[1] != dim
                    or keys.shape != (len(vectors),) or checksum != _cache_checksum(keys, vectors)):
                raise ValueError(f"keys {keys.shape}, vectors {vectors.shape} {vectors.dtype}")
            return dict(zip(keys.tolist(), vectors, strict=True))
    except FileNotFoundError:
        return {}
    except Exception as exc:  # BadZipFile, EOFError, ValueError, KeyError, ...: the cache is disposable
        log.warning("ignoring the embedding cache %s (%s: %s); re-embedding", path, exc.__class__.__name__, exc)
        return {}


def _cache_checksum(keys: np.ndarray, vectors: np.ndarray) -> str:
    digest = hashlib.sha256(np.ascontiguousarray(keys).tobytes())
    digest.update(np.ascontiguousarray(vectors).tobytes())
    return digest.hexdigest()


def _cache_bytes(cache: dict[str, np.ndarray], dim: int) -> bytes:
    keys = sorted(cache)
    vectors = np.stack([cache[k] for k in keys]).astype(np.float32) if keys else np.zeros((0, dim), np.float32)
    key_array = np.array(keys, dtype="U32")
    buffer = io.BytesIO()
    np.savez(buffer, keys=key_array, vectors=vectors, checksum=np.array(_cache_checksum(key_array, vectors)))
    return buffer.getvalue()


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(layout.read_artefact(path, MAX_BYTES[path.name])).hexdigest()
    except (OSError, layout.DamagedArtefact):
        return None
