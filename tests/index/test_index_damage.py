"""Issue 11 (8): every index artefact is disposable. A damaged or foreign embedding cache is
re-embedded, a deeply nested manifest is rebuilt, a crashed build's temporary files are
removed, and a folder that cannot be written is one line for the CLI and a failed reload
that the listeners (the staff channel) hear about, never a traceback."""

from __future__ import annotations

import errno
import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest
from helpers import run_memory_capped, without_blocking

from bot.cli import main
from bot.index import open_index
from bot.index.store import CACHE, MANIFEST, UNITS, VECTORS
from bot.serving.assemble import engine_for
from bot.serving.live import LiveCourse
from bot.settings import Settings

NOW = "2020-10-19T09:00-05:00"
ROOT = Path(__file__).resolve().parents[2]
KNOWLEDGE = ROOT / "knowledge"


@pytest.fixture(scope="module")
def built(course, embedder, tmp_path_factory) -> Path:
    """A current index of the default course, built once; each test starts from a copy."""
    directory = tmp_path_factory.mktemp("built") / "index"
    open_index(course, embedder, directory)
    return directory


@pytest.fixture
def folder(built, tmp_path) -> Path:
    target = tmp_path / "index"
    shutil.copytree(built, target)
    return target


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.startswith(".") and p.name != ".lock")


def test_a_damaged_cache_is_re_embedded_not_a_bad_zip_traceback(course, embedder, folder):
    (folder / CACHE).write_bytes(b"PK\x03\x04" + b"\x00garbage" * 100)
    (folder / MANIFEST).unlink()
    index = open_index(course, embedder, folder)
    assert index.vectors.ntotal == len(index.units)
    assert open_index(course, embedder, folder).manifest["built_at"] == index.manifest["built_at"]  # stays current


def test_a_cache_of_the_wrong_dimension_is_dropped(course, embedder, folder):
    with np.load(folder / CACHE) as data:
        keys = data["keys"]
    np.savez(folder / CACHE, keys=keys, vectors=np.ones((len(keys), 10), np.float32))
    (folder / MANIFEST).unlink()
    index = open_index(course, embedder, folder)
    assert index.vectors.d == embedder.dim and index.vectors.ntotal == len(index.units)


def test_a_deeply_nested_manifest_is_rebuilt(course, embedder, folder):
    (folder / MANIFEST).write_text("[" * 200_000 + "]" * 200_000)
    index = open_index(course, embedder, folder)
    assert json.loads((folder / MANIFEST).read_text())["units"] == len(index.units)


def test_an_index_path_that_is_a_file_is_one_line(capsys, tmp_path):
    blocker = tmp_path / "index"
    blocker.write_text("not a folder")
    config = tmp_path / "config.yaml"
    config.write_text(f"engine:\n  index_dir: {blocker}\n")
    code = main(["ask", "whats the late policy", "--now", NOW, "--knowledge", str(KNOWLEDGE), "--config", str(config)])
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1 and "is a file" in err, err


def test_a_full_disk_leaves_no_temporary_files_and_says_so(course, embedder, folder, monkeypatch):
    (folder / MANIFEST).unlink()

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(Exception) as caught:
        open_index(course, embedder, folder)
    assert type(caught.value).__name__ == "IndexBuildError"
    assert "No space left on device" in str(caught.value) and "\n" not in str(caught.value)
    assert leftovers(folder) == []


def test_leftovers_of_a_killed_build_are_removed_by_the_next(course, embedder, folder):
    for name in (f".{VECTORS}.k1ll3d", f".{MANIFEST}.k1ll3d.tmp", "tmpa1b2c3.npz"):
        (folder / name).write_bytes(b"half written")
    (folder / MANIFEST).unlink()
    open_index(course, embedder, folder)
    assert leftovers(folder) == [] and not list(folder.glob("tmp*.npz"))


def read_only(monkeypatch, directory: Path) -> None:
    """Refuse every file creation under ``directory`` as a read-only mount would (root ignores chmod)."""
    real_open, real_mkdir = os.open, os.mkdir

    def guarded_open(path, flags, *args, **kwargs):
        if str(path).startswith(str(directory)) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real_open(path, flags, *args, **kwargs)

    def guarded_mkdir(path, *args, **kwargs):
        if str(path).startswith(str(directory)):
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real_mkdir(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", guarded_open)
    monkeypatch.setattr(os, "mkdir", guarded_mkdir)


def test_a_read_only_index_folder_is_one_line_in_the_cli(capsys, tmp_path, monkeypatch):
    config = tmp_path / "config.yaml"
    config.write_text(f"engine:\n  index_dir: {tmp_path / 'index'}\n")
    read_only(monkeypatch, tmp_path / "index")
    code = main(["ask", "whats the late policy", "--now", NOW, "--knowledge", str(KNOWLEDGE), "--config", str(config)])
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1 and "Read-only file system" in err, err


def test_a_failed_index_write_is_a_failed_reload_that_listeners_hear(course, embedder, folder, knowledge_copy,
                                                                     monkeypatch):
    engine = engine_for(course, Settings(), open_index(course, embedder, folder), embedder)
    live = LiveCourse(knowledge_copy, Settings(), folder, embedder, engine)
    heard = []
    live.subscribe(heard.append)
    policies = knowledge_copy / "policies.yaml"
    policies.write_text(policies.read_text().replace("Late submissions will not be graded.",
                                                     "Late submissions lose 10% per day.", 1))
    read_only(monkeypatch, folder)
    result = live.reload()
    assert not result.ok and heard == [result] and live.engine is engine
    assert "Reload failed; still serving the previous course" in result.summary()
    assert "Read-only file system" in result.summary() and str(folder) in result.summary()
    monkeypatch.undo()
    assert live.reload().ok and live.engine is not engine  # the next reload, once writable, goes through


# -- artefacts that are not files at all: a FIFO, a directory, a symlink loop, /dev/zero ----------------------------

NOT_FILES = {"a FIFO": os.mkfifo, "a directory": Path.mkdir, "a symlink loop": lambda p: p.symlink_to(p.name)}


@pytest.mark.parametrize("name", [MANIFEST, VECTORS, UNITS, CACHE])
@pytest.mark.parametrize("kind", NOT_FILES)
def test_an_artefact_that_is_not_a_file_is_rebuilt_without_blocking(course, embedder, folder, name, kind):
    """Issue 11 (8): a FIFO blocked the start (and every reload) for ever; a directory stopped it with
    'cannot write the index: Is a directory'. Both are generated files: rebuilt, the intruder removed."""
    path = folder / name
    path.unlink()
    NOT_FILES[kind](path)
    if name == CACHE:
        (folder / MANIFEST).unlink()  # the cache is read only by a build
    index = without_blocking(lambda: open_index(course, embedder, folder), path)
    assert index.vectors.ntotal == len(index.units)
    assert path.is_file() and not path.is_symlink()
    assert open_index(course, embedder, folder).manifest["built_at"] == index.manifest["built_at"]  # current now


def test_an_artefact_linked_to_dev_zero_is_rebuilt_without_reading_it_whole(built, tmp_path):
    """Issue 11 (8): the manifest, vectors or units linked to /dev/zero were read until memory ran out
    (here: a child process allowed 1 GB more, which then died of MemoryError)."""
    setup = f"""
import shutil
from pathlib import Path
from bot.index import open_index
from bot.index.embedder import embedder_for
from bot.knowledge import load_course
from bot.settings import EngineSettings
course, embedder = load_course({str(KNOWLEDGE)!r}), embedder_for(EngineSettings()).warm()  # the fixture's encoder
built, folder = Path({str(built)!r}), Path({str(tmp_path / "index")!r})
"""
    code = f"""
for name in {[MANIFEST, VECTORS, UNITS]!r}:
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(built, folder)
    (folder / name).unlink()
    (folder / name).symlink_to("/dev/zero")
    index = open_index(course, embedder, folder)
    assert index.vectors.ntotal == len(index.units) and (folder / name).is_file(), name
    print(name, "rebuilt")
"""
    assert run_memory_capped(setup, code).split() == [MANIFEST, "rebuilt", VECTORS, "rebuilt", UNITS, "rebuilt"]


def test_leftovers_are_removed_when_nothing_needs_rebuilding(course, embedder, folder):
    """Issue 11 (8): a killed build's temporary files stayed until some later edit forced a rebuild."""
    for name in (f".{VECTORS}.k1ll3d.tmp", f".{MANIFEST}.x.tmp"):
        (folder / name).write_bytes(b"half written")
    built_at = json.loads((folder / MANIFEST).read_text())["built_at"]
    assert open_index(course, embedder, folder).manifest["built_at"] == built_at  # loaded, not rebuilt
    assert leftovers(folder) == []
