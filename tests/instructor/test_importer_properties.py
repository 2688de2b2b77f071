"""The importer never crashes on a damaged page, and whatever it writes loads (given a calendar)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from helpers import SEED
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.instructor.emit import scalar
from bot.instructor.importer import import_page
from bot.knowledge import KnowledgeError, load_course

PAGES = [SEED / "course-page-fall2020.md",
         SEED / "course-page-spring2024.md",
         *sorted((Path(__file__).parent / "pages").glob("*.md"))]
TEXTS = [page.read_text("utf-8") for page in PAGES]
PIECES = ["# ", "## ", "| ", " |", "|---|---|", "\n", "\n\n", "1. ", "- ", "[x](a b?c)", "**", "Tue Sep 17",
          "9/31", "Feb 30", "3-5pm", "Office hours", "Date", "Due", "Points", "TAs: ", "no class", "midterm",
          "===", "<br>", "\t", "\x80", "\u2028", "é"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(page=st.integers(0, len(TEXTS) - 1),
       edits=st.lists(st.tuples(st.integers(0, 10**6), st.sampled_from(["delete", "insert", "repeat"]),
                                st.sampled_from(PIECES), st.integers(1, 200)), max_size=6),
       tail=st.text(max_size=100))
def test_damaged_pages_import_to_files_that_load(page, edits, tail):
    text = TEXTS[page]
    for position, kind, piece, size in edits:
        at = position % (len(text) + 1)
        if kind == "delete":
            text = text[:at] + text[at + size:]
        elif kind == "insert":
            text = text[:at] + piece + text[at:]
        else:
            text = text[:at] + text[at:at + size] * 2 + text[at + size:]
    result = import_page(text + tail, near_year=2026)
    with tempfile.TemporaryDirectory() as tmp:
        result.write(Path(tmp), "page.md")
        try:
            load_course(tmp)
        except KnowledgeError as exc:  # only a page without any calendar table may fail, and it says so
            assert all(p.field == "sessions" for p in exc.problems), exc
            assert any("no calendar table" in line for line in result.unplaced)


def test_text_that_yaml_cannot_hold_is_escaped():
    import yaml

    for text in ["a\x80b", "line\u2028separator", 'quote " and \\ backslash', "emoji 😀", "\x7f"]:
        assert yaml.safe_load(scalar(text)) == text
    assert yaml.safe_load(scalar("lone \ud800 surrogate")) == "lone  surrogate"
