"""Issue 11 (17): each knowledge folder has its own index under engine.index_dir, and two
processes building the same cold index at once take turns instead of racing."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from bot.index import course_index_dir
from bot.serving.assemble import load_engine
from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
KNOWLEDGE = ROOT / "knowledge"
SPRING2024 = ROOT / "tests" / "fixtures" / "spring2024"
COURSEBOT = Path(sys.executable).parent / "coursebot"


def settings_for(root: Path) -> Settings:
    return Settings.model_validate({"engine": {"index_dir": str(root)}})


def test_another_knowledge_folder_does_not_replace_the_default_courses_index(root_with_export):
    settings = settings_for(root_with_export)
    embedded: list[int] = []

    def progress(done: int, total: int) -> None:
        embedded.append(done)

    load_engine(KNOWLEDGE, settings, progress)  # coursebot ask …
    load_engine(SPRING2024, settings, progress)  # coursebot --knowledge OTHER ask …
    assert embedded, "both courses were embedded once"
    embedded.clear()
    fall, spring = load_engine(KNOWLEDGE, settings, progress), load_engine(SPRING2024, settings, progress)
    assert embedded == [], "each course's index was still there: nothing re-embedded"
    assert fall.course.info.term != spring.course.info.term
    assert course_index_dir(settings.engine.index_dir, KNOWLEDGE) != course_index_dir(settings.engine.index_dir,
                                                                                      SPRING2024)


def test_the_index_folder_is_named_after_the_knowledge_folder_and_its_resolved_path(tmp_path):
    knowledge = tmp_path / "CS 396 (Fall 2020)" / "knowledge"
    knowledge.mkdir(parents=True)
    (tmp_path / "link").symlink_to(knowledge)
    folder = course_index_dir("index", knowledge)
    assert folder.parent == Path("index") and re.fullmatch(r"cs-396-fall-2020-knowledge-[0-9a-f]{10}", folder.name)
    assert course_index_dir("index", tmp_path / "link") == folder  # the same folder by another name
    assert course_index_dir("index", knowledge / ".." / "knowledge") == folder
    assert course_index_dir("index", tmp_path / "other" / "knowledge") != folder


def test_two_processes_building_one_cold_index_at_once_take_turns(root_with_export, tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text(f"engine:\n  index_dir: {root_with_export}\n")
    command = [str(COURSEBOT), "index", "--knowledge", str(KNOWLEDGE), "--config", str(config)]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=900) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], [err for _, err in outputs]
    counts = sorted(int(re.search(r"\((\d+) embedded", out).group(1)) for out, _ in outputs)
    texts = int(re.search(r"canonical questions: (\d+) texts", outputs[0][0]).group(1))
    assert counts == [0, texts], "one process embedded the course, the other waited and reused its work"
    folder = course_index_dir(root_with_export, KNOWLEDGE)
    assert sorted(p.name for p in folder.iterdir()) == [".lock", "cache.npz", "extra.npy", "manifest.json",
                                                         "units.json", "vectors.faiss"]
