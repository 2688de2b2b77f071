"""The schema: what instructors may write, and the spellings it accepts."""

from __future__ import annotations

import datetime as dt

from bot.knowledge.schema import CourseInfo


def test_friendly_time_and_weekday_spellings():
    info = CourseInfo.model_validate({
        "code": "X 1", "title": "T", "term": "Fall 2020", "institution": "U", "timezone": "UTC",
        "description": "d", "meetings": [{"days": ["tues", "Thursdays"], "start": "4:20pm", "end": "5:40 PM",
                                          "location": "Zoom"}],
    })
    meeting = info.meetings[0]
    assert (meeting.days, meeting.start, meeting.end) == (("Tuesday", "Thursday"), dt.time(16, 20), dt.time(17, 40))
