"""The ONNX export of the embedding model: made once per model, kept in ``index/models/``.

Building the export needs torch and sentence-transformers (imported inside the functions
that build); checking and using it needs only json, os.stat and, at the first encode,
onnxruntime + tokenizers. The folder of one model holds::

    export.json       the record: source fingerprint, opset, tokenizer settings, checksums, versions
    model.onnx        fp32, opset 17, inputs -> last_hidden_state (pooling is done in numpy)
    model.int8.onnx   only when engine.onnx_precision is int8 (dynamic, per-channel weights)
    tokenizer.json    the model's tokenizer: truncation at max_seq_length, dynamic padding

A record that does not match the model on disk (another model, a changed one, another
opset or record format) is stale and the model is exported again; a file whose size or
checksum does not match is damaged and the same happens; so is anything but a regular file
where a file belongs (a FIFO, a directory, a symlink), which the new export removes first.
A model that cannot be exported
(an unsupported pipeline, or outputs that disagree with sentence-transformers) gets a
``failed`` record, so the torch fallback does not retry on every start; the record is
retried when the model or the library versions change.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import importlib.metadata
import json
import logging
import os
import shutil
import stat
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

import bot.index.layout as layout
from bot.index.errors import IndexBuildError

log = logging.getLogger(__name__)

FORMAT = 1
OPSET = 17
RECORD = "export.json"
TOKENIZER = "tokenizer.json"
MODEL_FILES = {"fp32": "model.onnx", "int8": "model.int8.onnx"}
OUTPUT = "last_hidden_state"
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
MIN_COSINE = 0.9999  # an fp32 export that agrees less than this with sentence-transformers is refused
MIN_COSINE_INT8 = 0.9  # per-channel int8 measured 0.971; per-tensor 0.856 (refused)
RECORD_MAX_BYTES = 16 << 20  # the record is a few KB; the cap only stops a runaway read
SMALL_FILE = 1 << 20  # model files up to this size are fingerprinted by content, larger ones by size + mtime
VERSIONED = ("torch", "transformers", "sentence-transformers", "onnx", "onnxruntime", "tokenizers")
# Probe texts for checking an export: short, long (> 256 tokens, so truncated), accents, emoji, CJK, empty.
PROBES = (
    "whats the late policy",
    "When is HW2 due?? 🙂",
    "can I use a late day on the final project proposal",
    "Ünïcödé façade naïve café — déjà vu",
    "日本語のテキストと中文文本",
    "x",
    "",
    " ".join(["The quick brown fox jumps over the lazy dog."] * 40),
    "word " * 400,
    "Office hours: Mondays 4:00pm–6:00pm on Zoom (https://example.edu/zoom?id=123&pwd=abc).",
    "Readings on optimization: Adam (Kingma & Ba, 2015); SGD with momentum; learning-rate schedules.",
    "Late submissions will not be graded. Extensions only with a documented emergency.",
)
Report = Callable[[str], None]


class ExportUnavailable(Exception):
    """This model cannot run on the ONNX path; the message says why (torch is used instead)."""


class ExportDamaged(Exception):
    """A file of the export does not match its record (the message says which)."""


def versions() -> dict[str, str]:
    """Installed versions of the libraries an export depends on (metadata only: nothing is imported)."""
    found = {}
    for name in VERSIONED:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def source_fingerprint(location: str) -> str:
    """What the export was made from: small files by content, large ones (weights) by size and mtime."""
    root = Path(location)
    if not root.is_dir():
        return "name:" + location  # a hub id: only its name is known without loading it
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith(".")):
        info = path.stat()
        digest.update(f"{path.relative_to(root).as_posix()}\0{info.st_size}\0".encode())
        if info.st_size <= SMALL_FILE:
            digest.update(path.read_bytes())
        else:
            digest.update(str(info.st_mtime_ns).encode())
    return digest.hexdigest()[:32]


def _stamp(path: Path) -> list[int]:
    """What changes whenever a file is written, replaced or copied (ctime cannot be set back)."""
    info = path.stat()
    return [info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns]


@dataclass(frozen=True)
class Export:
    """A usable export: its folder, the chosen precision and its record."""

    folder: Path
    precision: str
    record: dict[str, Any]

    @property
    def model_file(self) -> Path:
        return self.folder / self.record["variants"][self.precision]["file"]

    @property
    def tokenizer_file(self) -> Path:
        return self.folder / TOKENIZER

    def manifest_entry(self) -> dict[str, Any]:
        """What a course index records about the encoder its vectors came from."""
        variant = self.record["variants"][self.precision]
        name = variant["file"]
        return {
            "kind": "onnx",
            "precision": self.precision,
            "file": str(self.folder / name),
            "sha256": self.record["files"][name]["sha256"],
            "bytes": self.record["files"][name]["bytes"],
            "opset": self.record["opset"],
            "output": self.record["output"],
            "pooling": self.record["pooling"],
            "tokenizer": self.record["tokenizer"],
            "check": variant.get("check", {}),
            "versions": self.record["versions"],
            "exported_at": self.record["exported_at"],
        }


class ModelCache:
    """The export folder of one model under ``index/models/``."""

    def __init__(self, root: Path, name: str, location: str):
        self.root = Path(root)
        self.name = name
        self.location = location
        self.folder = self.root / layout.model_dir_name(name)
        self._fingerprint: str | None = None

    @property
    def fingerprint(self) -> str:
        if self._fingerprint is None:
            self._fingerprint = source_fingerprint(self.location)
        return self._fingerprint

    # --- reading (question time: no torch) --------------------------------------------

    def read_record(self) -> dict[str, Any] | None:
        try:
            record = json.loads(layout.read_artefact(self.folder / RECORD, RECORD_MAX_BYTES).decode("utf-8"))
        except (OSError, ValueError, RecursionError, layout.DamagedArtefact):
            return None
        return record if isinstance(record, dict) else None

    def current(self, precision: str) -> Export | None:
        """The export if its record matches this model and its files are present with the recorded sizes."""
        record = self.read_record()
        reason = self._stale(record, precision)
        if reason:
            log.debug("no usable ONNX export in %s: %s", self.folder, reason)
            return None
        assert record is not None
        return Export(self.folder, precision, record)

    def _stale(self, record: dict[str, Any] | None, precision: str) -> str | None:
        if record is None:
            return "no export yet"
        expected = {"format": FORMAT, "model": self.name, "source_fingerprint": self.fingerprint, "opset": OPSET}
        for key, value in expected.items():
            if record.get(key) != value:
                return f"{key} changed"
        try:
            names = [record["variants"][precision]["file"], TOKENIZER]
            for name in names:
                info = os.lstat(self.folder / name)
                if not stat.S_ISREG(info.st_mode):
                    return f"{name} is not a regular file"
                if info.st_size != record["files"][name]["bytes"]:
                    return f"{name} has the wrong size"
        except (KeyError, TypeError, OSError):
            return f"no complete {precision} export"
        return None

    def failure(self) -> str | None:
        """Why this model could not be exported, if that was recorded for this model and these versions."""
        record = self.read_record()
        if (record and isinstance(record.get("failed"), str) and record.get("format") == FORMAT
                and record.get("source_fingerprint") == self.fingerprint and record.get("versions") == versions()):
            return record["failed"]
        return None

    def verify(self, export: Export, *, always: bool = False) -> None:
        """Check the files' checksums (skipped when the files are untouched since the last check)."""
        names = [export.record["variants"][export.precision]["file"], TOKENIZER]
        stamps = export.record.get("stamps", {})
        checked = False
        for name in names:
            path = self.folder / name
            try:
                if not always and stamps.get(name) == _stamp(path):
                    continue
                actual = layout.sha256_file(path, limit=int(export.record["files"][name]["bytes"]))
            except OSError as exc:
                raise ExportDamaged(f"{name} is unreadable ({exc.strerror})") from exc
            except layout.DamagedArtefact as exc:
                raise ExportDamaged(str(exc)) from exc
            if actual != export.record["files"][name]["sha256"]:
                raise ExportDamaged(f"{name} does not match its checksum")
            checked = True
        if checked:
            self._restamp(export.record, names)

    def _restamp(self, record: dict[str, Any], names: list[str]) -> None:
        """Remember the verified files' stamps, so the next start skips the checksum (best effort)."""
        with contextlib.suppress(OSError, KeyError), layout.try_folder_lock(self.folder) as locked:
            if locked and self.read_record() == record:  # not while another process re-exports
                stamps = dict(record.get("stamps", {}))
                stamps.update({name: _stamp(self.folder / name) for name in names})
                layout.write_atomic(self.folder / RECORD, json.dumps({**record, "stamps": stamps}, indent=2).encode())

    # --- building (needs torch) ----------------------------------------------------------

    def ensure(self, precision: str, report: Report | None = None, verify: bool = False,
               bad: Export | None = None) -> Export:
        """A usable export, exported (under the folder's lock) when missing, stale or damaged.

        ``bad``: an export found not to load (it is exported again unless another process
        already did). Raises ExportUnavailable when the model cannot be exported,
        IndexBuildError when the folder cannot be written.
        """
        say = report or log.info
        export = self._checked(precision, verify, say, bad)
        if export is not None:
            layout.remove_idle_leftovers(self.folder)  # a killed export's files, when nothing needs exporting
            return export
        failed = self.failure()
        if failed:
            raise ExportUnavailable(failed)
        with layout.folder_lock(self.folder, "the ONNX export"):
            export = self._checked(precision, verify, say, bad)  # another process may have exported it meanwhile
            if export is not None:
                return export
            layout.remove_leftovers(self.folder)
            try:
                for name in (RECORD, TOKENIZER, *MODEL_FILES.values()):  # os.replace cannot replace a directory
                    layout.remove_intruder(self.folder / name)
                return self._export(precision, say)
            except OSError as exc:
                raise IndexBuildError(self.folder, f"cannot write the ONNX export: {layout.describe_os_error(exc)}"
                                      ) from exc

    def _checked(self, precision: str, verify: bool, say: Report, bad: Export | None = None) -> Export | None:
        export = self.current(precision)
        if export is not None and bad is not None and export.record.get("files") == bad.record.get("files"):
            return None  # the same files that did not load
        if export is not None and verify:
            try:
                self.verify(export)
            except ExportDamaged as exc:
                say(f"the ONNX export in {self.folder} is damaged ({exc}); exporting it again")
                return None
        return export

    def _export(self, precision: str, say: Report) -> Export:
        fp32 = self.current("fp32")
        record = fp32.record if fp32 is not None and self._intact(fp32) else self._export_fp32(say)
        if precision == "int8":
            int8 = Export(self.folder, "int8", record) if "int8" in record["variants"] else None
            if int8 is None or not self._intact(int8):
                record = self._quantize(record, say)
        record["stamps"] = {name: _stamp(self.folder / name) for name in record["files"]}
        layout.write_atomic(self.folder / RECORD, json.dumps(record, indent=2).encode())  # the record last
        return Export(self.folder, precision, record)

    def _intact(self, export: Export) -> bool:
        try:
            self.verify(export, always=True)
        except (ExportDamaged, KeyError):
            return False
        return True

    def _export_fp32(self, say: Report) -> dict[str, Any]:
        say(f"exporting {self.name} to ONNX (opset {OPSET}) into {self.folder}/ (once per model) ...")
        started = time.perf_counter()
        scratch = layout.temp_dir(self.folder, "export")
        try:
            try:
                made = _export_with_torch(self.location, scratch)
            except ExportUnavailable as exc:
                self._record_failure(str(exc))
                say(f"cannot export {self.name} to ONNX: {exc}")
                raise
            files: dict[str, dict[str, Any]] = {}
            for name in (MODEL_FILES["fp32"], TOKENIZER):
                files[name] = {"sha256": layout.sha256_file(scratch / name), "bytes": (scratch / name).stat().st_size}
                os.replace(scratch / name, self.folder / name)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        seconds = time.perf_counter() - started
        say(f"exported {self.name} in {seconds:.1f}s: {self.folder / MODEL_FILES['fp32']} "
            f"({files[MODEL_FILES['fp32']]['bytes'] / 1e6:.1f} MB, min cosine to sentence-transformers "
            f"{made['min_cosine']:.7f} over {len(PROBES)} probe texts)")
        return {
            "format": FORMAT,
            "model": self.name,
            "source": self.location,
            "source_fingerprint": self.fingerprint,
            "opset": OPSET,
            "inputs": made["inputs"],
            "output": OUTPUT,
            "dim": made["dim"],
            "pooling": {"mode": "mean", "weights": "attention_mask", "normalize": "l2"},
            "tokenizer": made["tokenizer"],
            "files": files,
            "variants": {"fp32": {"file": MODEL_FILES["fp32"], "check": {
                "against": "sentence-transformers", "min_cosine": made["min_cosine"], "texts": len(PROBES)}}},
            "versions": versions(),
            "export_seconds": round(seconds, 2),
            "exported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }

    def _quantize(self, record: dict[str, Any], say: Report) -> dict[str, Any]:
        say("quantising the ONNX export to int8 (dynamic, per-channel weights) ...")
        name = MODEL_FILES["int8"]
        scratch = layout.temp_dir(self.folder, "int8")
        try:
            min_cosine = _quantize_int8(self.folder / MODEL_FILES["fp32"], scratch / name, self.folder / TOKENIZER,
                                        record["tokenizer"])
            if min_cosine < MIN_COSINE_INT8:
                raise ExportUnavailable(f"int8 weights disagree too much with fp32 (min cosine {min_cosine:.3f})")
            entry: dict[str, Any] = {"sha256": layout.sha256_file(scratch / name),
                                     "bytes": (scratch / name).stat().st_size}
            os.replace(scratch / name, self.folder / name)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        say(f"int8 model: {self.folder / name} ({entry['bytes'] / 1e6:.1f} MB, min cosine to fp32 {min_cosine:.4f})")
        variants = {**record["variants"], "int8": {"file": name, "quantization": "dynamic, QInt8, per-channel",
                                                   "check": {"against": "fp32", "min_cosine": min_cosine,
                                                             "texts": len(PROBES)}}}
        return {**record, "files": {**record["files"], name: entry}, "variants": variants}

    def _record_failure(self, reason: str) -> None:
        failure = {"format": FORMAT, "model": self.name, "source": self.location,
                   "source_fingerprint": self.fingerprint, "failed": reason, "versions": versions(),
                   "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
        with contextlib.suppress(OSError):
            layout.write_atomic(self.folder / RECORD, json.dumps(failure, indent=2).encode())


# --- the torch side -------------------------------------------------------------------------


def _export_with_torch(location: str, scratch: Path) -> dict[str, Any]:
    """Export ``location`` into ``scratch``; check it against sentence-transformers; describe it."""
    try:
        import torch
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging
    except ImportError as exc:
        raise ExportUnavailable(f"exporting needs torch and sentence-transformers ({exc})") from exc
    hf_logging.disable_progress_bar()
    try:
        model = SentenceTransformer(location, device="cpu")
    except Exception as exc:  # whatever a custom model's code raises: fall back, say why
        raise ExportUnavailable(f"sentence-transformers could not load it ({exc.__class__.__name__}: {exc})") from exc
    transformer, lowercase = _plain_pipeline(model)
    max_length = int(model.max_seq_length or 512)
    tokenizer = _tokenizer(transformer, max_length)
    dummy = _features(model, ["a short text", "a somewhat longer text, so that the batch has padding in it"])
    inputs = [name for name in INPUTS if name in dummy]

    class LastHiddenState(torch.nn.Module):
        def __init__(self, inner: torch.nn.Module):
            super().__init__()
            self.inner = inner

        def forward(self, *tensors: torch.Tensor) -> torch.Tensor:
            return self.inner(**dict(zip(inputs, tensors, strict=True))).last_hidden_state

    axes = {name: {0: "batch", 1: "sequence"} for name in (*inputs, OUTPUT)}
    target = scratch / MODEL_FILES["fp32"]
    try:
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # TracerWarnings and the legacy-exporter notice, on every export
            torch.onnx.export(LastHiddenState(transformer.auto_model).eval(), tuple(dummy[n] for n in inputs),
                              str(target), opset_version=OPSET, dynamo=False, input_names=inputs,
                              output_names=[OUTPUT], dynamic_axes=axes, do_constant_folding=True)
    except OSError:
        raise  # a full or read-only disk is not a property of the model: do not record it as a failure
    except Exception as exc:  # the exporter raises many kinds; any of them means: no ONNX for this model
        raise ExportUnavailable(f"torch.onnx.export failed ({exc.__class__.__name__}: {exc})") from exc
    extra = sorted(p.name for p in scratch.iterdir() if p.name != target.name)
    if extra:
        raise ExportUnavailable(f"the export needs external data files ({', '.join(extra)}); only single-file "
                                "models are supported")
    settings = _tokenizer_settings(tokenizer, max_length, lowercase)
    tokenizer.save(str(scratch / TOKENIZER))
    try:
        _same_tokens(model, scratch / TOKENIZER, settings)
        min_cosine = _agreement(model, target, scratch / TOKENIZER, settings)
    except (ExportUnavailable, OSError):
        raise
    except Exception as exc:  # onnxruntime refusing the exported graph, say
        raise ExportUnavailable(f"the exported model does not run ({exc.__class__.__name__}: {exc})") from exc
    dimension = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
    return {"inputs": inputs, "dim": int(dimension() or 0), "tokenizer": settings, "min_cosine": min_cosine}


def _plain_pipeline(model: Any) -> tuple[Any, bool]:
    """The Transformer module, if the pipeline is exactly Transformer -> mean Pooling [-> Normalize]."""
    modules = list(model)
    kinds = [type(m).__name__ for m in modules]
    if kinds not in (["Transformer", "Pooling"], ["Transformer", "Pooling", "Normalize"]):
        raise ExportUnavailable(f"the pipeline {' -> '.join(kinds)} is not Transformer -> Pooling -> Normalize")
    config = modules[1].get_config_dict()
    mode = config.get("pooling_mode") or ("mean" if config.get("pooling_mode_mean_tokens") else None)
    if mode != "mean" or not config.get("include_prompt", True):
        raise ExportUnavailable(f"pooling {mode!r} is not plain mean pooling")
    transformer = modules[0]
    if not hasattr(transformer, "auto_model") or not hasattr(transformer.tokenizer, "backend_tokenizer"):
        raise ExportUnavailable("the transformer has no Hugging Face model with a fast tokenizer")
    return transformer, bool(getattr(transformer, "do_lower_case", False))


def _tokenizer(transformer: Any, max_length: int) -> Any:
    from tokenizers import Tokenizer

    from bot.index.onnx_encoder import configure_tokenizer

    tokenizer = Tokenizer.from_str(transformer.tokenizer.backend_tokenizer.to_str())
    hf = transformer.tokenizer
    configure_tokenizer(tokenizer, max_length, int(hf.pad_token_id or 0), str(hf.pad_token or "[PAD]"),
                        int(getattr(hf, "pad_token_type_id", 0) or 0))
    return tokenizer


def _tokenizer_settings(tokenizer: Any, max_length: int, lowercase: bool) -> dict[str, Any]:
    truncation, padding = tokenizer.truncation, tokenizer.padding
    return {
        "file": TOKENIZER,
        "max_length": max_length,
        "truncation": {"max_length": truncation["max_length"], "strategy": truncation["strategy"],
                       "direction": truncation["direction"]},
        "padding": "longest text of each batch (dynamic)",
        "pad_id": padding["pad_id"],
        "pad_token": padding["pad_token"],
        "lowercase_before_tokenizing": lowercase,
    }


def _features(model: Any, texts: list[str]) -> dict[str, Any]:
    prepare = getattr(model, "preprocess", None) or model.tokenize
    return {k: v for k, v in prepare(texts).items() if k in INPUTS}


def _encoder(model_file: Path, tokenizer: Path, settings: dict[str, Any]) -> Any:
    from bot.index.onnx_encoder import OnnxEncoder

    return OnnxEncoder(model_file, tokenizer, max_length=settings["max_length"], pad_id=settings["pad_id"],
                       pad_token=settings["pad_token"], lowercase=settings["lowercase_before_tokenizing"])


def _same_tokens(model: Any, tokenizer: Path, settings: dict[str, Any]) -> None:
    """The tokenizers library must give exactly the ids sentence-transformers feeds its model."""
    ours = _encoder_tokens(tokenizer, settings)
    theirs = _features(model, list(PROBES))
    expected = theirs["input_ids"].tolist()
    if ours != expected:
        bad = next(i for i, (a, b) in enumerate(zip(ours, expected, strict=True)) if a != b)
        raise ExportUnavailable(f"the tokenizers library tokenizes {PROBES[bad][:40]!r} differently")


def _encoder_tokens(tokenizer: Path, settings: dict[str, Any]) -> list[list[int]]:
    from tokenizers import Tokenizer

    from bot.index.onnx_encoder import configure_tokenizer

    tok = Tokenizer.from_file(str(tokenizer))
    configure_tokenizer(tok, settings["max_length"], settings["pad_id"], settings["pad_token"])
    texts = [t.lower() for t in PROBES] if settings["lowercase_before_tokenizing"] else list(PROBES)
    return [e.ids for e in tok.encode_batch(texts)]


def _agreement(model: Any, model_file: Path, tokenizer: Path, settings: dict[str, Any]) -> float:
    """Min cosine between sentence-transformers and the export, batched and one text at a time."""
    reference = model.encode(list(PROBES), normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)
    encoder = _encoder(model_file, tokenizer, settings)
    batched = encoder.encode(list(PROBES))
    single = np.vstack([encoder.encode([text]) for text in PROBES])
    min_cosine = float(min((reference * batched).sum(axis=1).min(), (reference * single).sum(axis=1).min()))
    if not min_cosine >= MIN_COSINE:  # also refuses NaN
        raise ExportUnavailable(f"its ONNX output disagrees with sentence-transformers (min cosine {min_cosine:.6f})")
    return min_cosine


def _quantize_int8(fp32: Path, target: Path, tokenizer: Path, settings: dict[str, Any]) -> float:
    """Dynamic int8 quantisation with per-channel weights; the min cosine of its vectors to fp32's."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    logging.disable(logging.WARNING)  # its root-logger advice to pre-process is noise in `coursebot index`
    try:
        quantize_dynamic(str(fp32), str(target), per_channel=True, weight_type=QuantType.QInt8)
    finally:
        logging.disable(logging.NOTSET)
    full = _encoder(fp32, tokenizer, settings).encode(list(PROBES))
    small = _encoder(target, tokenizer, settings).encode(list(PROBES))
    return float((full * small).sum(axis=1).min())
