"""Export the key dates of one or more verdicts as an iCalendar file a counsellor can add to a calendar.

One all-day event per key date: the summary is the label in the chosen language, the description names
the citation, the provision's title, the day the facts were assessed and the disclaimer. Deadlines get
two reminders (14 days and 1 day before). By default only dates on or after as_of are exported: a date
already reached or a deadline already missed does not belong in a calendar.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from pathlib import Path

from icalendar import Alarm, Calendar, Event

from rules.dates import date_labels, format_date
from rules.i18n import LANGS, title_labels, ui
from rules.verdict import KeyDate, RuleVerdict

PRODID = "-//aufenthalt-assistant//rules key dates//EN"
DEADLINE_REMINDERS = (timedelta(days=-14), timedelta(days=-1))


def _uid(verdict: RuleVerdict, item: KeyDate) -> str:
    # Stable across exports of the same case, so re-importing updates an event instead of duplicating it.
    key = f"{verdict.rule_id}|{item.condition_id}|{item.kind}|{item.citation}|{item.date.isoformat()}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32] + "@rules.aufenthalt-assistant"


def _description(verdict: RuleVerdict, item: KeyDate, lang: str) -> str:
    title = title_labels(verdict.rule_id)
    computed = date_labels(lang)["ics.computed"].format(as_of=format_date(datetime.fromisoformat(verdict.as_of).date(), lang))
    return "\n".join([title.get(lang) or title["en"], item.citation, computed, ui("ui.disclaimer", lang)])


def key_dates_calendar(verdicts: Iterable[RuleVerdict], lang: str = "en", include_past: bool = False) -> Calendar:
    """An iCalendar object with one all-day event per key date of the verdicts (in the language `lang`)."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}, got {lang!r}")
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", date_labels(lang)["ics.calendar_name"])
    stamp = datetime.now(timezone.utc).replace(microsecond=0)
    seen: set[str] = set()
    for verdict in verdicts:
        for item in verdict.key_dates:
            uid = _uid(verdict, item)
            if (item.in_past and not include_past) or uid in seen:
                continue
            seen.add(uid)
            event = Event()
            event.add("uid", uid)
            event.add("dtstamp", stamp)
            event.add("dtstart", item.date)  # a date, not a datetime: an all-day event
            event.add("dtend", item.date + timedelta(days=1))
            event.add("summary", item.labels.get(lang) or item.label)
            event.add("description", _description(verdict, item, lang))
            event.add("categories", [item.kind])
            event.add("transp", "TRANSPARENT")
            if item.kind == "deadline":
                for trigger in DEADLINE_REMINDERS:
                    alarm = Alarm()
                    alarm.add("action", "DISPLAY")
                    alarm.add("description", item.labels.get(lang) or item.label)
                    alarm.add("trigger", trigger)
                    event.add_component(alarm)
            calendar.add_component(event)
    return calendar


def key_dates_ics(verdicts: Iterable[RuleVerdict], lang: str = "en", include_past: bool = False) -> bytes:
    """The .ics file content (what the app offers as a download)."""
    return key_dates_calendar(verdicts, lang, include_past).to_ical()


def write_key_dates_ics(path: Path, verdicts: Iterable[RuleVerdict], lang: str = "en", include_past: bool = False) -> int:
    """Write the .ics file; returns the number of events written."""
    calendar = key_dates_calendar(verdicts, lang, include_past)
    path.write_bytes(calendar.to_ical())
    return len(calendar.walk("VEVENT"))


__all__ = ["key_dates_calendar", "key_dates_ics", "write_key_dates_ics"]
