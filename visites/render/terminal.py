"""Rich tables and panels for the terminal."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from visites import dates
from visites.deadlines import LANDLORD_DEADLINE, days_overdue, diagnostic_due, due
from visites.status import StatusRow
from visites.vocabulary import PHASE_SHORT_LABELS

if TYPE_CHECKING:
    from rich.console import Console

    from visites.config import Config
    from visites.model import Case


def console(stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


def print_status(rows: list[StatusRow], today: date, title: str) -> None:
    from rich import box
    from rich.table import Table

    out = console()
    if not rows:
        out.print(f"{title} au {dates.short(today)} : aucun dossier.")
        return
    table = Table(
        title=f"{title} au {dates.short(today)}",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        padding=(0, 1),
        collapse_padding=True,
        show_edge=False,
    )
    table.add_column("Dossier", no_wrap=True)
    table.add_column("Ménage", ratio=3, min_width=12)
    table.add_column("Commune", ratio=2, min_width=8)
    table.add_column("Phase", no_wrap=True)
    table.add_column("Échéance", no_wrap=True)
    table.add_column("Retard", justify="right", no_wrap=True)
    table.add_column("Référent", ratio=2, min_width=9, overflow="fold")
    for r in rows:
        late = f"[bold red]{r.days_overdue} j[/]" if r.days_overdue else ""
        deadline = dates.short(r.due) if r.due else "—"
        if r.reason == LANDLORD_DEADLINE:  # the landlord's own date, earlier than the rule's
            deadline += "\n[dim](date butoir)[/]"
        phase = PHASE_SHORT_LABELS[r.phase]
        table.add_row(r.id, r.household, r.commune, phase, deadline, late, r.referent or "")
    out.print(table)
    overdue = sum(1 for r in rows if r.days_overdue)
    out.print(f"{len(rows)} dossier(s), dont {overdue} en retard.")


LABEL_WIDTH = 26  # the case view's labels; a longer one wraps


def print_case(case: Case, config: Config, today: date) -> None:
    """The case view (`case_view`, the sections the access export shows too), with the
    deadlines on `today`."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from visites.render.case_view import Deadlines, case_view

    deadline = due(case, config)
    working = Deadlines(
        deadline, days_overdue(deadline, today), diagnostic_due(case, config), today
    )
    view = case_view(case, working, today)
    out = console()
    out.print(Text(f"Dossier {case.id}", style="bold"))
    # One label column for every section, so that the values line up down the page.
    labels = [len(line.label) + 2 for section in view.sections for line in section.lines]
    width = min(max(labels), LABEL_WIDTH)
    marked = False
    for section in view.sections:
        title = section.title + (" (confidentiel)" if section.confidential else "")
        table = Table(title=Text(title, style="bold"), title_justify="left", box=None,
                      show_header=False, pad_edge=False, padding=(0, 2, 0, 0),
                      expand=True)  # fmt: skip
        table.add_column("", width=width)
        table.add_column("", ratio=1)
        for line in section.lines:
            star = line.confidential and not section.confidential
            marked |= star
            label = Text(line.label + (" *" if star else ""), style="dim" if star else "")
            table.add_row(label, Text(line.value, style="bold red" if line.alert else ""))
        out.print()
        out.print(table)
    timeline = Table(title=Text("Chronologie", style="bold"), title_justify="left",
                     box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False,
                     expand=True)  # fmt: skip
    timeline.add_column("Date", no_wrap=True)
    timeline.add_column("Étape ou événement", ratio=2)
    timeline.add_column("Détail", ratio=3)
    for moment in view.timeline:
        marked |= moment.confidential
        what = moment.what + (" *" if moment.confidential else "")
        timeline.add_row(dates.short(moment.day), Text(what), Text(moment.detail))
    out.print()
    out.print(timeline)
    if marked:
        out.print(Text("* confidentiel : reste à l'association, jamais transmis au bailleur.",
                       style="dim"))  # fmt: skip


def print_problems(problems: list, brief: bool) -> None:
    """`file:line: message`, one a line, on stderr. Brief: a reminder to run check."""
    import sys

    for problem in problems:
        print(str(problem), file=sys.stderr)
    if brief and problems:
        files = len({problem.path for problem in problems})
        print(
            f"avertissement : {files} fichier(s) illisible(s) ignoré(s) ici ; "
            "détails : visites check",
            file=sys.stderr,
        )
