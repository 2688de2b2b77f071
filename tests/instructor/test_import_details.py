"""Details of deliverables, meetings and checks that one made-up page (tests/fixtures/pages/madeup-robotics.md)
got wrong, each tested here in other wording than that page's."""

from __future__ import annotations

from pathlib import Path

from bot.instructor.check import check_course
from bot.instructor.document import Inline, sentences
from bot.instructor.importer import import_page
from bot.instructor.words import kind_of, undecorate
from bot.knowledge import Course, load_course

SCHEDULE = ("## Schedule\n\n- **Mon 9/6** — Rivers\n- **Wed 9/8** — Deltas\n- **Mon 9/13** — Glaciers\n"
            "- **Wed 10/13** — Midterm exam, in class\n")


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


def test_sentences_do_not_end_at_titles_latin_abbreviations_weekdays_or_initials():
    text = Inline("Ask Dr. Ames (e.g. about labs) by Wed. Oct 6. Read J. R. Tolkien, i.e. Ch. 2. Bring a pen, etc. "
                  "Then rest.")
    assert [s.text for s in sentences(text)] == [
        "Ask Dr. Ames (e.g. about labs) by Wed. Oct 6.", "Read J. R. Tolkien, i.e. Ch. 2.", "Bring a pen, etc.",
        "Then rest."]


def test_a_sentence_wrapped_after_a_title_is_read_whole(tmp_path):
    body = ("## Exams\n\n"
            "**Midterm** — Wed Oct 13, in class. Open notes.\n"
            "Conflicts (a field trip, say), tell\n"
            "Dr. Ames before Mon Oct 4.\n\n" + SCHEDULE)
    course = course_of(tmp_path, body)
    assert names(course) == ["Midterm"]
    assert any("tell Dr. Ames before Mon Oct 4." in policy.text for policy in course.policies)


def test_telling_someone_by_a_date_is_not_a_deliverable(tmp_path):
    body = ("## Exams and projects\n\n"
            "The midterm is on Wed Oct 13. If you need extra time, email the instructor by Fri Oct 1.\n\n"
            "Notify your TA of any religious holiday conflicts by Mon Sep 20.\n\n"
            "Exam conflicts must be reported by Mon Oct 4.\n\n"
            "The field notebook is due Fri Oct 8.\n\n" + SCHEDULE +
            "- Let us know about exam conflicts by **Fri 9/17**\n")
    course = course_of(tmp_path, body)
    assert sorted(names(course)) == ["Field notebook", "Midterm"]


def test_a_grading_table_with_points_and_share_columns_gives_points_and_no_second_deliverable(tmp_path):
    body = (SCHEDULE + "- **Fri 10/22** — Field trip report due\n\n"
            "## Grading\n\n| Item | Points | Weight |\n|---|---|---|\n| Midterm exam | 150 | 15% |\n"
            "| Field trip report | 60 | 6% |\n| Participation | 40 | 4% |\n")
    course = course_of(tmp_path, body)
    assert sorted((due.name[:7], due.points) for due in course.deliverables) == [("Field t", 60), ("Midterm", 150)]


def test_a_class_time_without_a_room_is_recorded_as_not_decided_and_check_does_not_ask_for_it(tmp_path):
    body = ("**Lectures:** Mondays and Wednesdays, 9:00–9:50am\n\n"
            "**Lab:** Fridays 2:00–4:50pm, Room TBA\n\n" + SCHEDULE)
    course = course_of(tmp_path, body)
    assert [m.location for m in course.info.meetings] == ["TBA", "Room TBA"]
    assert [u.field for u in course.info.undetermined] == ["location", "location"]
    warnings = [p.message for p in check_course(course, tmp_path / "out")]
    assert not [w for w in warnings if "add it to undetermined" in w], warnings


def test_a_date_for_something_else_near_an_exam_is_not_the_exams_date(tmp_path):
    body = (SCHEDULE + "\n## Policies\n\n### Accommodations\n\nSend your letter to Dr. Ames by Fri Sep 10 so we can "
            "plan for the midterm.\n\n### Review\n\nThere is a review session on Tue Oct 12 before the midterm.\n")
    course = course_of(tmp_path, body)
    assert [(due.name, str(due.date)) for due in course.deliverables] == [("Midterm exam", "2027-10-13")]
    warnings = [p.message for p in check_course(course, tmp_path / "out") if " puts " in p.message]
    assert warnings == []


def test_a_graded_event_in_the_schedule_is_a_deliverable_with_its_time_and_place(tmp_path):
    body = (SCHEDULE + "- 🎤 **Poster session** — **Thu 10/28, 2:00–4:00pm**, Geology atrium · 40 pts\n"
            "- **Map exercise 2 — Contours** due **Fri 10/29** · 10 pts\n")
    course = course_of(tmp_path, body)
    poster = next(due for due in course.deliverables if due.name == "Poster session")
    assert (str(poster.date), poster.points, str(poster.due_time), poster.kind) == ("2027-10-28", 40, "14:00:00",
                                                                                    "project")
    assert poster.note is not None and "Geology atrium" in poster.note
    exercise = next(due for due in course.deliverables if due.name.startswith("Map exercise 2"))
    assert "due" not in (exercise.note or "").lower()


def test_a_final_named_as_a_noun_is_an_exam():
    assert kind_of("Take-home final") == ("exam", False)
    assert kind_of("Final (cumulative)") == ("exam", False)
    assert kind_of("Final project report")[0] == "project"


def test_hours_under_a_named_person_are_theirs_and_a_remark_is_no_place(tmp_path):
    body = ("## Course staff\n\n**TA: Ines Okoro**\nMon/Wed 4-5pm, Sediment Lab (Rowan B12)\n\n"
            "**Grader: Theo Park**\nThu 9-10am — regrade questions only\n\n" + SCHEDULE)
    course = course_of(tmp_path, body)
    staff = {m.name: m for m in course.info.staff}
    assert set(staff) == {"Ines Okoro", "Theo Park"}
    assert [(h.day, h.place) for h in staff["Ines Okoro"].office_hours] == [
        ("Monday", "Sediment Lab (Rowan B12)"), ("Wednesday", "Sediment Lab (Rowan B12)")]
    (slot,) = staff["Theo Park"].office_hours
    assert slot.place is None and slot.note == "regrade questions only"


def test_labels_after_an_emoji_bullet_are_still_labels(tmp_path):
    body = ("- 📚 **Textbook:** Tarbuck, *Earth: An Introduction to Physical Geology*\n"
            "- ✅ **Prerequisites:** GEO 101\n- 🧭 **Field lab:** Fridays 1:00–3:50pm, Rowan 012\n\n" + SCHEDULE)
    course = course_of(tmp_path, body)
    assert course.info.textbook is not None and "Physical Geology" in course.info.textbook.title
    assert course.info.prerequisites == "GEO 101"
    assert [(m.days, m.location) for m in course.info.meetings] == [(("Friday",), "Rowan 012")]


def test_an_exam_with_a_day_but_no_room_yet_records_the_room_as_not_decided(tmp_path):
    body = "## Exams\n\n**Final exam** — Thu Dec 9, 8:00–10:00am, room to be announced.\n\n" + SCHEDULE
    course = course_of(tmp_path, body)
    assert [(d.name, str(d.date)) for d in course.deliverables if d.name.startswith("Final")] == [
        ("Final exam", "2027-12-09")]
    assert [u.field for u in course.info.undetermined] == ["exam"]


def test_a_numbered_set_is_homework():
    assert kind_of("Transcription set 2") == ("homework", False)


def test_a_grading_row_fits_its_own_exam_not_one_sharing_only_the_word_exam(tmp_path):
    body = (SCHEDULE + "- **Mon 12/13** — Final exam\n\n## Grading\n\n| Part | Points |\n|---|---|\n"
            "| Midterm exam | 90 |\n| Final exam | 140 |\n")
    course = course_of(tmp_path, body)
    assert sorted((due.name, due.points) for due in course.deliverables) == [("Final exam", 140),
                                                                              ("Midterm exam", 90)]


def test_a_table_of_class_meetings_under_a_general_heading_gives_the_meetings(tmp_path):
    body = ("## About the course\n\n| Meeting | Days | Time | Room |\n|---|---|---|---|\n"
            "| Lecture | Mon/Wed | 9:00–9:50am | Rowan 101 |\n| Field lab | Friday | 1:00–3:50pm | TBA |\n\n"
            + SCHEDULE)
    course = course_of(tmp_path, body)
    assert [(m.days, m.location) for m in course.info.meetings] == [(("Monday", "Wednesday"), "Rowan 101"),
                                                                     (("Friday",), "TBA")]
    assert [u.field for u in course.info.undetermined] == ["location"]


def test_the_madeup_robotics_page_imports_without_its_first_defects(tmp_path):
    page = Path(__file__).parents[1] / "fixtures" / "pages" / "madeup-robotics.md"
    import_page(page.read_text("utf-8"), near_year=2026).write(tmp_path / "out", page.name)
    course = load_course(tmp_path / "out")
    dues = {due.name: due for due in course.deliverables}
    assert all(undecorate(name) == name and "Prof." not in name for name in dues)
    assert [(d.name, d.points) for d in course.deliverables if "idterm" in d.name] == [("Midterm", 120)]
    assert dues["Take-home final"].kind == "exam"
    assert (dues["Final project demos"].points, str(dues["Final project demos"].due_time)) == (60, "13:30:00")
    assert "Perception Lab" not in {m.name for m in course.info.staff}
    warnings = [p.message for p in check_course(course, tmp_path / "out")]
    assert not [w for w in warnings if " puts " in w or "add it to undetermined" in w], warnings
