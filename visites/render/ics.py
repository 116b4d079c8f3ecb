"""The agenda as an iCalendar file (RFC 5545) for Thunderbird, Outlook and phone calendars,
built with `icalendar` (imported here only: `agenda --ics` alone pays for it).

- Each appointment is an event in Europe/Paris time (with its VTIMEZONE), its UID the
  random `uid` stored in the appointment at its creation: it survives a renumbering of the
  case by sync and a move of the appointment, so that a new export updates the event
  instead of duplicating it. A cancelled appointment is written with STATUS:CANCELLED, so
  that the import cancels the old event.
- Each deadline is an all-day event.
- No household name, no place, unless asked (`names`, `places`): calendars are often
  synced to servers outside the association. Titles say « dossier 2015-007 ».
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from visites.agenda import CANCELLED, RDV, AgendaItem

ZONE = "Europe/Paris"
PRODID = "-//visites//Les visites sociales//FR"


def uid(item: AgendaItem) -> str:
    """The event's UID: the appointment's own (random, stored); for a deadline, its kind and
    case (a deadline moves with the case's steps and is replaced by the next one)."""
    if item.type == RDV:
        return item.uid or f"rdv-{item.case_id}-{item.number}@visites"
    return f"echeance-{item.kind}-{item.case_id}@visites"


def calendar(
    items: list[AgendaItem],
    programme: str,
    names: dict[str, str] | None = None,
    places: dict[tuple[str, int], str] | None = None,
    stamp: datetime | None = None,
) -> bytes:
    """The .ics bytes of `items`. `names` (case ID → household) and `places` ((case ID,
    number) → place) are added only when given (--with-names)."""
    from zoneinfo import ZoneInfo

    from icalendar import Calendar, Event

    names, places = names or {}, places or {}
    zone = ZoneInfo(ZONE)
    stamp = stamp or datetime.now(UTC)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"{programme} — agenda")
    cal.add("x-wr-timezone", ZONE)
    seen: set[str] = set()
    # One event per UID: an appointment edited on two computers and merged is kept twice in
    # its case (check says so); the calendar shows the version not cancelled.
    for item in sorted(items, key=lambda i: i.state == CANCELLED):
        key = uid(item)
        if key in seen:
            continue
        seen.add(key)
        event = Event()
        event.add("uid", key)
        event.add("dtstamp", stamp)
        title = f"{item.label[:1].upper()}{item.label[1:]} — dossier {item.case_id}"
        if item.case_id in names:
            title += f" — {names[item.case_id]}"
        span = item.span()
        if item.type == RDV and span is not None:
            start, end = span
            event.add("summary", title)
            event.add("dtstart", start.replace(tzinfo=zone))
            event.add("dtend", end.replace(tzinfo=zone))
            event.add("status", "CANCELLED" if item.state == CANCELLED else "CONFIRMED")
            who = f" — {item.person}" if item.person else ""
            event.add("description", f"Rendez-vous n° {item.number} ({item.duration} min)"
                                     f"{who}. {programme}.")  # fmt: skip
            if (place := places.get((item.case_id, item.number or 0))) is not None:
                event.add("location", place)
        else:
            event.add("summary", f"Échéance : {title}")
            event.add("dtstart", item.day)
            event.add("dtend", item.day + timedelta(days=1))
            event.add("transp", "TRANSPARENT")
            who = f" — {item.person}" if item.person else ""
            event.add("description", f"Échéance du dossier {item.case_id}{who}. {programme}.")
        event.add("categories", [programme])
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
