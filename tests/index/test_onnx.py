"""Issue 8: questions are embedded by onnxruntime over an ONNX export made by the index build.

The export agrees with sentence-transformers, is recorded in the manifest, is rebuilt when
damaged or stale, falls back to torch for a model it cannot export, and answering a
retrieval question in a fresh process imports neither torch nor transformers.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
import yaml
from helpers import without_blocking

from bot import evaluation
from bot.index import build_units, open_index
from bot.index import export as export_module
from bot.index.embedder import BUNDLED, Embedder, model_location
from bot.index.export import MODEL_FILES, RECORD, ModelCache
from bot.index.layout import model_dir_name, models_dir
from bot.index.store import MANIFEST
from bot.serving.assemble import engine_for
from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
KNOWLEDGE = ROOT / "knowledge"
DEV = ROOT.parent / "shared" / "eval" / "fall2020_dev.yaml"
NOW = "2020-10-19T09:00-05:00"
TEXTS = [
    "whats the late policy", "when is hw2 due?", "can i use my own laptop", "", "x", "HW #3 (10 pts) — 2020-11-03",
    "Ünïcödé façade naïve café", "日本語のテキスト", "🙂🙂🙂 ok?", "office hours on zoom: https://example.edu/z?a=1&b=2",
    " ".join(["Long policy text about grading, late days and regrade requests."] * 30),  # > 256 tokens: truncated
    "word " * 1000,
]


def dev_questions() -> list[str]:
    return [item["q"] for item in yaml.safe_load(DEV.read_text("utf-8"))]


def test_onnx_agrees_with_sentence_transformers_on_varied_texts(embedder, onnx_embedder):
    reference = embedder.encode(TEXTS)
    for got in (onnx_embedder.encode(TEXTS), np.vstack([onnx_embedder.encode([t]) for t in TEXTS])):
        cosines = (reference * got).sum(axis=1)
        assert cosines.min() >= 0.9999, dict(zip(TEXTS, cosines.round(6), strict=True))
    pair = onnx_embedder.encode(TEXTS[:2])  # the engine's batch of two: same as one at a time
    assert np.allclose(pair, np.vstack([onnx_embedder.encode([t]) for t in TEXTS[:2]]), atol=1e-5)


def test_identical_top1_over_the_dev_questions(course, embedder, onnx_embedder):
    units = [u.text for u in build_units(course)]
    questions = dev_questions()
    assert len(questions) >= 40
    top = {}
    for name, encoder in (("torch", embedder), ("onnx", onnx_embedder)):
        scores = encoder.encode(questions) @ encoder.encode(units).T
        top[name] = scores.argmax(axis=1)
    differing = [q for q, a, b in zip(questions, top["torch"], top["onnx"], strict=True) if a != b]
    assert differing == []


def test_the_tokenizer_truncates_at_256_and_pads_only_to_the_batch(onnx_embedder):
    onnx_embedder.warm()
    tokenizer = onnx_embedder._load().tokenizer  # noqa: SLF001 - the setting under test
    short, long = tokenizer.encode_batch(["whats the late policy", "word " * 1000])
    assert len(short.ids) == len(long.ids) == 256  # padded to the longest in the batch, which is truncated
    assert len(tokenizer.encode("whats the late policy").ids) < 16  # alone: no padding to 128 or 256


def test_the_index_manifest_records_the_export(course, onnx_embedder, onnx_root, tmp_path):
    index = open_index(course, onnx_embedder, tmp_path / "course")
    encoder = json.loads((tmp_path / "course" / MANIFEST).read_text())["encoder"]
    assert index.manifest["encoder"] == encoder and encoder["kind"] == "onnx" and encoder["precision"] == "fp32"
    assert encoder["opset"] == 17 and encoder["output"] == "last_hidden_state"
    assert Path(encoder["file"]).parent == models_dir(onnx_root) / model_dir_name(BUNDLED)
    assert len(encoder["sha256"]) == 64 and encoder["check"]["min_cosine"] >= 0.9999
    assert encoder["tokenizer"]["max_length"] == 256 and "dynamic" in encoder["tokenizer"]["padding"]
    assert {"torch", "transformers", "onnx", "onnxruntime", "tokenizers"} <= set(encoder["versions"])
    assert encoder["pooling"] == {"mode": "mean", "weights": "attention_mask", "normalize": "l2"}


def test_answers_over_the_dev_set_are_the_same_on_both_encoders(course, engine, onnx_embedder, tmp_path):
    onnx_engine = engine_for(course, Settings(), open_index(course, onnx_embedder, tmp_path / "course"), onnx_embedder)
    items = evaluation.load_items(DEV)
    now = dt.datetime.fromisoformat(NOW)
    torch_results = evaluation.run(items, engine.answer, now)
    onnx_results = evaluation.run(items, onnx_engine.answer, now)
    assert [r.passed for r in onnx_results] == [r.passed for r in torch_results]
    assert sum(r.passed for r in onnx_results) == len(items)


def test_a_damaged_export_is_detected_and_exported_again(models_copy, embedder):
    model = models_copy / model_dir_name(BUNDLED) / MODEL_FILES["fp32"]
    good = json.loads((model.parent / RECORD).read_text())["files"][MODEL_FILES["fp32"]]["sha256"]
    raw = bytearray(model.read_bytes())
    raw[len(raw) // 2] ^= 0x40  # a weight changes: onnxruntime would load this silently
    model.write_bytes(bytes(raw))
    fresh = Embedder(BUNDLED, "onnx", "fp32", models_copy)
    vector = fresh.encode(["whats the late policy"])  # checksum differs -> exported again -> encodes
    assert fresh.kind == "onnx" and float((vector @ embedder.encode(["whats the late policy"]).T)[0, 0]) >= 0.9999
    record = json.loads((model.parent / RECORD).read_text())
    assert export_module.layout.sha256_file(model) == record["files"][MODEL_FILES["fp32"]]["sha256"] == good


def test_a_stale_or_unreadable_record_means_no_export(models_copy):
    cache = ModelCache(models_copy, BUNDLED, model_location(BUNDLED))
    assert cache.current("fp32") is not None
    record_path = cache.folder / RECORD
    record = json.loads(record_path.read_text())
    for key, value in (("source_fingerprint", "another model"), ("opset", 11), ("format", 0)):
        record_path.write_text(json.dumps({**record, key: value}))
        assert cache.current("fp32") is None, key
    record_path.write_text("[" * 100_000)
    assert cache.current("fp32") is None
    record_path.write_text(json.dumps(record))
    (cache.folder / MODEL_FILES["fp32"]).write_bytes(b"truncated")
    assert cache.current("fp32") is None  # wrong size: rebuilt without reading 90 MB


EXPORT_INTRUDERS = {"a FIFO": os.mkfifo, "a directory": os.mkdir, "a symlink loop": lambda p: p.symlink_to(p.name),
                   "-> /dev/zero": lambda p: p.symlink_to("/dev/zero")}


@pytest.mark.parametrize("name", [RECORD, MODEL_FILES["fp32"], "tokenizer.json"])
def test_an_export_file_that_is_not_a_file_means_no_export_without_blocking(models_copy, name):
    """Issue 11 (bench): export.json as a FIFO blocked every start; /dev/zero was read until memory ran out."""
    cache = ModelCache(models_copy, BUNDLED, model_location(BUNDLED))
    path = cache.folder / name
    saved = path.read_bytes()
    path.unlink()
    for kind, make in EXPORT_INTRUDERS.items():
        make(path)
        assert without_blocking(lambda: cache.current("fp32"), path) is None, kind
        path.rmdir() if path.is_dir() and not path.is_symlink() else path.unlink()
    (cache.folder / "elsewhere").write_bytes(saved)
    path.symlink_to("elsewhere")  # even the right bytes: a build never writes a symlink here
    assert cache.current("fp32") is None


def test_a_killed_exports_leftovers_go_when_nothing_needs_exporting(models_copy):
    cache = ModelCache(models_copy, BUNDLED, model_location(BUNDLED))
    for name in (".export.ab12.tmp", ".model.onnx.cd34.tmp"):
        (cache.folder / name).write_bytes(b"x" * 1000)
    stamp = (cache.folder / MODEL_FILES["fp32"]).stat().st_mtime_ns
    cache.ensure("fp32")
    assert (cache.folder / MODEL_FILES["fp32"]).stat().st_mtime_ns == stamp  # not exported again
    assert [p.name for p in cache.folder.iterdir() if p.name.startswith(".") and p.name != ".lock"] == []


def test_a_directory_where_the_model_belongs_is_removed_and_the_model_exported(models_copy, embedder):
    """Issue 11 (bench): the export's os.replace failed with 'Is a directory', so the bot fell back to torch."""
    model = models_copy / model_dir_name(BUNDLED) / MODEL_FILES["fp32"]
    model.unlink()
    model.mkdir()
    fresh = Embedder(BUNDLED, "onnx", "fp32", models_copy)
    fresh.encode(["whats the late policy"])
    assert fresh.kind == "onnx" and model.is_file()


def test_a_model_that_cannot_be_exported_falls_back_to_torch_and_says_so(tmp_path, embedder, capsys, monkeypatch):
    custom = tmp_path / "cls-model"
    shutil.copytree(model_location(BUNDLED), custom)
    pooling = custom / "1_Pooling" / "config.json"
    config = json.loads(pooling.read_text())
    config.update(pooling_mode_mean_tokens=False, pooling_mode_cls_token=True)
    pooling.write_text(json.dumps(config))
    fresh = Embedder(str(custom), "onnx", "fp32", tmp_path / "models")
    encoder = fresh.prepare(report=print)
    assert encoder["kind"] == "torch" and "pooling" in encoder["reason"], encoder
    assert "using sentence-transformers" in capsys.readouterr().out
    assert fresh.encode(["hello"]).shape == (1, 384)
    attempts = []
    monkeypatch.setattr(export_module, "_export_with_torch", lambda *args: attempts.append(args))
    again = Embedder(str(custom), "onnx", "fp32", tmp_path / "models").prepare()
    assert again["kind"] == "torch" and "pooling" in again["reason"] and attempts == []  # remembered: no retry


def test_two_cold_exports_at_once_export_once(tmp_path, monkeypatch, embedder):
    calls = []
    real = export_module._export_with_torch

    def counted(location, scratch):
        calls.append(location)
        return real(location, scratch)

    monkeypatch.setattr(export_module, "_export_with_torch", counted)
    results: list[dict] = []
    threads = [threading.Thread(target=lambda: results.append(
        Embedder(BUNDLED, "onnx", "fp32", tmp_path / "models").prepare())) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1 and [r["kind"] for r in results] == ["onnx", "onnx"]
    assert results[0]["sha256"] == results[1]["sha256"]


def test_int8_is_an_opt_in_variant_beside_fp32(models_copy, onnx_embedder):
    int8 = Embedder(BUNDLED, "onnx", "int8", models_copy)
    encoder = int8.prepare()
    assert encoder["kind"] == "onnx" and encoder["precision"] == "int8" and encoder["file"].endswith("int8.onnx")
    assert 0.9 <= encoder["check"]["min_cosine"] < 0.9999 and encoder["check"]["against"] == "fp32"
    cosines = (int8.encode(TEXTS) * onnx_embedder.encode(TEXTS)).sum(axis=1)
    assert cosines.min() >= 0.9
    assert int8.cache_key != onnx_embedder.cache_key  # int8 vectors never mix with fp32 ones in a cache


CHILD = """
import json, sys
from bot.cli import main
code = main(["ask", "whats the late policy", "--now", "2020-10-19T09:00-05:00", "--json",
             "--knowledge", sys.argv[1], "--config", sys.argv[2]])
heavy = sorted(m for m in ("torch", "transformers", "sentence_transformers", "scipy", "sklearn") if m in sys.modules)
print(json.dumps({"code": code, "heavy": heavy, "onnxruntime": "onnxruntime" in sys.modules}))
"""


def test_a_retrieval_question_in_a_fresh_process_imports_neither_torch_nor_transformers(root_with_export, tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text(f"engine:\n  index_dir: {root_with_export}\n")
    for _ in range(2):  # the first run builds the course's index (with onnxruntime), the second loads it
        out = subprocess.run([sys.executable, "-c", CHILD, str(KNOWLEDGE), str(config)], capture_output=True,
                             text=True, timeout=600, check=True, env={**os.environ, "HF_HUB_OFFLINE": "1"})
        answer, report = (json.loads(line) for line in out.stdout.strip().splitlines()[-2:])
        assert report == {"code": 0, "heavy": [], "onnxruntime": True}, out.stderr
        assert answer["answered"] and answer["sources"][0]["id"] == "late-submissions"


@pytest.mark.parametrize("encoder", ["onnx", "torch"])
def test_coursebot_index_says_which_encoder_it_uses(capsys, root_with_export, tmp_path, encoder):
    from bot.cli import main

    config = tmp_path / "config.yaml"
    config.write_text(f"engine:\n  index_dir: {root_with_export}\n  encoder: {encoder}\n")
    assert main(["index", "--knowledge", str(KNOWLEDGE), "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert f"encoder: {encoder}" in out and f"with {encoder} into" in out
    if encoder == "onnx":
        assert "opset 17" in out and "sha256" in out and "no torch at question time" in out


def test_a_process_keeps_few_loaded_models_however_many_index_roots_it_opened(tmp_path):
    """Issue 11 (bench): the embedder cache kept a loaded model (~100 MB resident) alive for each of the last
    8 index roots, so a process that opened many roots grew by ~100 MB a root until it ran out of memory."""
    import gc
    import weakref

    from bot.index.embedder import EMBEDDERS_KEPT, load_embedder

    first = weakref.ref(load_embedder(BUNDLED, "onnx", "fp32", tmp_path / "root-0" / "models"))
    for n in range(1, EMBEDDERS_KEPT + 1):
        load_embedder(BUNDLED, "onnx", "fp32", tmp_path / f"root-{n}" / "models")
    gc.collect()
    assert first() is None and EMBEDDERS_KEPT <= 2


def test_a_killed_exports_leftovers_go_on_the_next_index_open_even_mid_run(course, onnx_embedder, tmp_path):
    """Issue 11 (bench): a reload never exports again, so a killed export's temporary files stayed for the
    whole run."""
    open_index(course, onnx_embedder, tmp_path / "index")
    folder = onnx_embedder.prepare()["file"].rsplit("/", 1)[0]
    leftover = Path(folder) / ".model.onnx.k1ll3d.tmp"
    leftover.write_bytes(b"half written")
    open_index(course, onnx_embedder, tmp_path / "index")  # what a reload does: the export is already decided
    assert not leftover.exists()
