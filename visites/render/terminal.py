"""The terminal: the status table (plain text, fast), the case view (Rich), problems."""

from __future__ import annotations

import textwrap
from datetime import date
from typing import TYPE_CHECKING

from visites import dates
from visites.deadlines import LANDLORD_DEADLINE, days_overdue, diagnostic_due, due
from visites.render.plain_table import Column
from visites.status import StatusRow
from visites.vocabulary import NEXT_STEP_LABELS

if TYPE_CHECKING:
    from rich.console import Console

    from visites.config import Config
    from visites.model import Case


def console(stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


# The status table (plain text, see `plain_table`): what is to be done, for whom, by when.
# At 80 columns the commune goes first, then the référent(e): never the next step or the date.
STATUS_COLUMNS = (
    Column("Dossier"),
    Column("Ménage", flexible=True, minimum=16),
    Column("Commune", flexible=True, minimum=10, drop=2),
    Column("Étape"),
    Column("Échéance"),
    Column("Retard", align="right"),
    Column("Référent(e)", flexible=True, minimum=9, drop=1),
)
BUTOIR_MARK = "*"


def status_lines(
    rows: list[StatusRow],
    today: date,
    title: str,
    room: int,
    *,
    colour: bool = False,
    referent: str | None = None,
) -> list[str]:
    """The status view as lines of at most `room` columns: a title, one line per case (phase
    and next step in words, the deadline, the delay), then what the marks mean."""
    from visites.render.numbers import plural, quantity
    from visites.render.plain_table import Cell, cut, layout, render

    heading = f"{title} au {dates.short(today)}"
    # Filtered on one référent(e): the title names them, and the column would only repeat it.
    names = {r.referent for r in rows}
    alone = referent is not None and len(names) == 1 and None not in names
    if alone:
        heading += f" — {names.pop()}"
    elif referent and not rows:
        heading += f" — {referent}"
    if not rows:
        return [cut(f"{heading} : aucun dossier.", room)]
    columns = list(STATUS_COLUMNS)
    late_shown = any(r.days_overdue for r in rows)
    table = []
    for r in rows:
        deadline = dates.short(r.due) if r.due else "—"
        if r.reason == LANDLORD_DEADLINE:  # the landlord's own date, earlier than the rule's
            deadline += BUTOIR_MARK
        late = Cell(f"{r.days_overdue} j", "bold red") if r.days_overdue else ""
        table.append([r.id, r.household, r.commune, NEXT_STEP_LABELS[r.phase], deadline, late,
                      r.referent or "—"])  # fmt: skip
    hidden = set()
    if not late_shown:
        hidden.add("Retard")
    if alone:
        hidden.add("Référent(e)")
    keep = [i for i, c in enumerate(columns) if c.header not in hidden]
    columns = [columns[i] for i in keep]
    table = [[row[i] for i in keep] for row in table]
    plan = layout(columns, table, room)
    lines = [cut(heading, room), *render(columns, table, room, colour=colour, plan=plan)]
    overdue = sum(1 for r in rows if r.days_overdue)
    counted = quantity(len(rows), "dossier")
    if overdue == len(rows):
        notes = [f"{counted} en retard."]
    elif overdue:
        notes = [f"{counted}, dont {overdue} en retard."]
    else:
        notes = [f"{counted}, aucun en retard."]
    if any(r.reason == LANDLORD_DEADLINE for r in rows):
        notes.append(f"{BUTOIR_MARK} date butoir du bailleur")
    if dropped := plan.dropped(columns):
        count = len(dropped)
        notes.append(f"{plural(count, 'Colonne')} {' et '.join(dropped)} "
                     f"{plural(count, 'masquée')} faute de place ({room} colonnes)")  # fmt: skip
    for note in notes:  # prose: wrapped, never cut
        lines += textwrap.wrap(note, max(room, 10), break_on_hyphens=False)
    return lines


def print_status(
    rows: list[StatusRow], today: date, title: str, referent: str | None = None
) -> None:
    """The status view on stdout, fitted to the terminal, in colour on a terminal only."""
    import sys

    from visites.render.plain_table import colour_wanted, terminal_width

    lines = status_lines(rows, today, title, terminal_width(), colour=colour_wanted(),
                         referent=referent)  # fmt: skip
    sys.stdout.write("\n".join(lines) + "\n")


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
        from visites.render.numbers import quantity

        print(
            f"avertissement : {quantity(files, 'fichier illisible ignoré')} ici ; "
            "détails : visites check",
            file=sys.stderr,
        )
