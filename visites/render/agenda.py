"""The agenda and the day view in the terminal (Rich)."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import groupby
from typing import TYPE_CHECKING

from visites import dates
from visites.agenda import RDV, AgendaItem
from visites.vocabulary import APPOINTMENT_STATE_LABELS

if TYPE_CHECKING:
    from visites.status import StatusRow

TO_FILL_HINT = (
    "Notez-les : visites event ID --kind TYPE --date JJ/MM/AAAA (fait), --kind absence "
    "(manqué), ou visites rdv ID N --cancel."
)
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def day_name(value: date) -> str:
    """« mardi 3 février 2015 »."""
    return f"{WEEKDAYS[value.weekday()]} {dates.long(value)}"


def _when(item: AgendaItem) -> str:
    span = item.span()
    if span is None:
        return "échéance"
    return f"{span[0]:%H:%M}–{span[1]:%H:%M}"


def _what(item: AgendaItem, today: date) -> str:
    if item.type != RDV:
        return item.label
    state = item.state_on(today)
    shown = "" if state == "planned" else f" [dim]· {APPOINTMENT_STATE_LABELS[state or '']}[/]"
    if state == "to_fill":
        shown = f" [bold red]· {APPOINTMENT_STATE_LABELS[state]}[/]"
    return f"{item.label} [dim]n° {item.number}[/]{shown}"


def _table(items: list[AgendaItem], names: dict[str, str], today: date) -> object:
    from rich import box
    from rich.table import Table

    table = Table(box=box.SIMPLE, show_header=False, pad_edge=False, show_edge=False,
                  padding=(0, 1), collapse_padding=True)  # fmt: skip
    table.add_column("Heure", no_wrap=True, style="bold")
    table.add_column("Quoi", ratio=3, min_width=14)
    table.add_column("Dossier", no_wrap=True)
    table.add_column("Ménage", ratio=2, min_width=10)
    table.add_column("Qui", ratio=2, min_width=8, overflow="fold")
    for item in items:
        table.add_row(_when(item), _what(item, today), item.case_id,
                      names.get(item.case_id, ""), item.person or "")  # fmt: skip
    return table


def _counts(items: list[AgendaItem]) -> str:
    appointments = sum(1 for i in items if i.type == RDV)
    deadlines = len(items) - appointments
    from visites.render.numbers import quantity

    return f"{appointments} rendez-vous, {quantity(deadlines, 'échéance')}."


def print_agenda(
    items: list[AgendaItem],
    names: dict[str, str],
    start: date,
    days: int,
    person: str | None,
    today: date,
) -> None:
    """Day by day, the days with something only; then the counts."""
    from rich.text import Text

    from visites.render.terminal import console

    out = console()
    end = start + timedelta(days=days - 1)
    who = f" — {person}" if person else ""
    out.print(Text(f"Agenda du {day_name(start)} au {day_name(end)}{who}", style="bold"))
    if not items:
        out.print("Aucun rendez-vous ni échéance.")
        return
    for day, group in groupby(items, key=lambda i: i.day):
        out.print()
        out.print(Text(day_name(day).capitalize(), style="bold underline"))
        out.print(_table(list(group), names, today))
    out.print(_counts(items))


def print_day_view(
    overdue: list[StatusRow],
    to_fill: list[AgendaItem],
    items: list[AgendaItem],
    names: dict[str, str],
    today: date,
    person: str | None,
    user: str | None,
) -> None:
    """`visites` alone: what is late, what is left to record, the week ahead, a hint."""
    from rich.text import Text

    from visites.render.terminal import console

    out = console()
    whose = f" de {person}" if person else ""
    out.print(Text(f"Aujourd'hui, {day_name(today)}{whose}", style="bold"))
    if user and not person:
        out.print(Text(f"({user} ne suit aucun dossier : tous les dossiers)", style="dim"))
    out.print()
    if overdue:
        out.print(Text(f"Dossiers en retard ({len(overdue)})", style="bold red"))
        for row in overdue:
            due = dates.short(row.due) if row.due else ""
            out.print(f"  {row.id}  {row.household} — {row.reason} le {due}, "
                      f"{row.days_overdue} j de retard")  # fmt: skip
    else:
        out.print("Aucun dossier en retard.")
    if to_fill:
        out.print()
        out.print(Text(f"Rendez-vous à renseigner ({len(to_fill)})", style="bold"))
        for item in to_fill:
            out.print(f"  {item.case_id}  {item.label} du {dates.short(item.day)} "
                      f"(n° {item.number}, {item.person or '?'})")  # fmt: skip
        out.print(Text(TO_FILL_HINT, style="dim"))
    out.print()
    end = today + timedelta(days=6)
    out.print(Text(f"Les 7 prochains jours (jusqu'au {dates.short(end)})", style="bold"))
    if not items:
        out.print("Aucun rendez-vous ni échéance.")
    for day, group in groupby(items, key=lambda i: i.day):
        out.print(Text(day_name(day).capitalize(), style="underline"))
        out.print(_table(list(group), names, today))
    out.print()
    out.print(Text("Toutes les commandes : visites --help", style="dim"))


def print_to_fill(items: list[AgendaItem]) -> None:
    """Under `status`: the appointments whose day is gone with nothing recorded."""
    if not items:
        return
    from rich.text import Text

    from visites.render.numbers import plural
    from visites.render.terminal import console

    out = console()
    shown = ", ".join(f"{i.case_id} n° {i.number} ({dates.short(i.day)})" for i in items[:8])
    more = f" et {len(items) - 8} {plural(len(items) - 8, 'autre')}" if len(items) > 8 else ""
    out.print(Text(f"{len(items)} rendez-vous à renseigner : {shown}{more}.", style="bold"))
    out.print(Text(TO_FILL_HINT, style="dim"))
