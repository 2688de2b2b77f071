"""The reminders: section of config.yaml: lead times, defaults, what is refused."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers import CONFIG
from pydantic import ValidationError

from bot.settings import load_settings
from bot.settings.reminders import ReminderSettings


@pytest.mark.parametrize("text, expected", [("7d", dt.timedelta(days=7)), ("1d 12h", dt.timedelta(hours=36)),
                                            ("90m", dt.timedelta(minutes=90))])
def test_lead_times_parse(text, expected):
    assert ReminderSettings(leads=[text]).leads == (expected,)


@pytest.mark.parametrize("bad", [{"leads": ["7 days"]}, {"leads": ["0h"]}, {"skip_kinds": ["lecture"]},
                                 {"default_due_time": 2359}, {"quiet_hours": {"start": "22:00"}}])
def test_bad_settings_are_rejected(bad):
    with pytest.raises(ValidationError):
        ReminderSettings(**bad)


def test_shipped_config_reminders_section_loads():
    settings = load_settings(CONFIG).reminders
    assert settings.leads == (dt.timedelta(days=7), dt.timedelta(days=1), dt.timedelta(hours=2))
    assert settings.default_due_time == dt.time(23, 59)
