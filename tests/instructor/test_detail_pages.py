"""Pages written for the details the made-up robotics page showed (tests/instructor/pages/details), in other
subjects, wording and markup: emoji bullets and labels, prose exams with a "tell Dr. X by <day>" sentence,
grading tables with Points and Share columns, staff with titles, a meeting table under a general heading.
Not blind (their author knew the importer), so they guard the rules rather than measure them.

Measured with main's importer (e138102) the day they were written: d1-phonetics-md-emoji 32/41,
d2-hydrology-html-tables.html 34/39 (66/80). After the importer3 fixes: 41/41, 39/39 (80/80). Besides the
key, neither page may gain a staff member or a deliverable the key does not list.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from keyfacts import import_and_score, key_of, pages

from bot.instructor.importer import import_file
from bot.knowledge import load_course

DETAILS = Path(__file__).parent / "pages" / "details"
FLOORS = {"d1-phonetics-md-emoji.md": 41, "d2-hydrology-html-tables.html": 39}


def imported(page: Path):
    with tempfile.TemporaryDirectory() as tmp:
        import_file(page, near_year=2026).write(Path(tmp) / "out", page.name)
        return load_course(Path(tmp) / "out")


@pytest.mark.parametrize("page", pages(DETAILS), ids=lambda p: p.name)
def test_detail_page_keeps_its_key_facts(page):
    score = import_and_score(page)
    assert score.error is None
    assert score.right >= FLOORS[page.name], "\n".join(score.wrong)
    assert score.placeholders == [] and score.lost_tbd == 0


@pytest.mark.parametrize("page", pages(DETAILS), ids=lambda p: p.name)
def test_detail_page_invents_no_staff_member_and_no_deliverable(page):
    course = imported(page)
    key = key_of(page)
    assert {member.name for member in course.info.staff} == {person["name"] for person in key["staff"]}
    assert len(list(course.deliverables)) == len(key["deliverables"]), [d.name for d in course.deliverables]


def test_every_detail_page_has_a_floor():
    assert {page.name for page in pages(DETAILS)} == set(FLOORS)
    assert all(key_of(page)["page"] == page.name for page in pages(DETAILS))
