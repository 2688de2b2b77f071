"""Details of deliverables, meetings and checks that one made-up page (tests/fixtures/pages/madeup-robotics.md)
got wrong, each tested here in other wording than that page's."""

from __future__ import annotations

from pathlib import Path

from bot.instructor.importer import import_page
from bot.instructor.words import undecorate
from bot.knowledge import Course, load_course


def course_of(tmp_path: Path, body: str) -> Course:
    result = import_page("# GEO 210: Landforms, Fall 2027\n\n" + body, near_year=2026, timezone="America/Denver")
    result.write(tmp_path / "out", "page")
    return load_course(tmp_path / "out")


def names(course: Course) -> list[str]:
    return [due.name for due in course.deliverables]


def test_undecorate_strips_pictographs_and_keeps_text():
    assert undecorate("⏰ HW3 — Visual odometry") == "HW3 — Visual odometry"
    assert undecorate("🧪️ Lab 2 ✅") == "Lab 2"  # with a variation selector
    assert undecorate("👩🏽‍🔬 Field report") == "Field report"  # skin tone and zero-width joiner
    assert undecorate("★★ Essay ★") == "Essay"
    assert undecorate("Café") == "Café"
    assert undecorate("C++ project") == "C++ project"
    assert undecorate("🎉") == "🎉"  # nothing but decoration: left as written


def test_deliverable_names_and_aliases_lose_their_emoji(tmp_path):
    body = ("## Schedule\n\n"
            "- **Mon 9/6** — Rivers\n"
            "- 🗺️ **Map exercise 1** due **Wed 9/8** · 10 pts\n"
            "- **Mon 9/13** — Glaciers\n"
            "- 🌋 Field trip report due Fri 9/17 ✨\n"
            "- **Mon 9/20** — 📝 **Quiz 1**, in class · 15 pts\n")
    course = course_of(tmp_path, body)
    assert set(names(course)) == {"Map exercise 1", "Field trip report", "Quiz 1"}
    for due in course.deliverables:
        assert all(undecorate(alias) == alias for alias in due.aliases), due.aliases
