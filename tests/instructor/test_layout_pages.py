"""Layout pages written for the gaps the fresh pages showed (tests/instructor/pages/layouts), in other
wording and markup than those pages, before the gaps were fixed; not blind (their author knew the
importer), so they guard the rules rather than measure them.

Measured before the fixes: l1-econ-html-lists.html 24/35, l2-physics-prose 20/31, l3-ml-md-lists 17/27,
l4-history-html-prose.html 19/30 (80/123); two pages also made a forum (Piazza, Campuswire) a staff member.
After: every key fact (123/123). Besides the key, no page may gain a staff member the key does not list:
a sentence or a link that names nobody must make nobody.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from keyfacts import import_and_score, key_of, pages

from bot.instructor.importer import import_file
from bot.knowledge import load_course

LAYOUTS = Path(__file__).parent / "pages" / "layouts"
FLOORS = {"l1-econ-html-lists.html": 35, "l2-physics-prose.md": 31, "l3-ml-md-lists.md": 27,
          "l4-history-html-prose.html": 30}


@pytest.mark.parametrize("page", pages(LAYOUTS), ids=lambda p: p.name)
def test_layout_page_keeps_its_key_facts(page):
    score = import_and_score(page)
    assert score.error is None
    assert score.right >= FLOORS[page.name], "\n".join(score.wrong)
    assert score.placeholders == [] and score.lost_tbd == 0


@pytest.mark.parametrize("page", pages(LAYOUTS), ids=lambda p: p.name)
def test_layout_page_invents_no_staff_member(page):
    with tempfile.TemporaryDirectory() as tmp:
        import_file(page, near_year=2026).write(Path(tmp) / "out", page.name)
        names = {member.name for member in load_course(Path(tmp) / "out").info.staff}
    assert names == {person["name"] for person in key_of(page)["staff"]}


def test_every_layout_page_has_a_floor():
    assert {page.name for page in pages(LAYOUTS)} == set(FLOORS)
    assert all(key_of(page)["page"] == page.name for page in pages(LAYOUTS))
