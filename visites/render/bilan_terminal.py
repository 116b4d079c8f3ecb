"""The bilan and the spending follow-up in the terminal (Rich), readable in 80 columns."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from visites.comparison import Comparison
from visites.model import Outcome
from visites.render import comparison, numbers
from visites.render.comparison import compared_sections, key_figures
from visites.render.sections import (
    MONTH_HEADER,
    PUBLICS,
    Section,
    month_rows,
    sections,
    subtitle,
    title,
)
from visites.reports import Bilan, Spending
from visites.vocabulary import OUTCOME_LABELS

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

BAR_WIDTH = 24
TABLE_WIDTH = 56


def _console() -> Console:
    from rich.console import Console

    return Console(highlight=False)


def _table(section: Section) -> RenderableType:
    from rich import box
    from rich.padding import Padding
    from rich.table import Table

    # A fixed minimum width keeps titles and notes on one or two lines, and lets wide
    # terminals put two tables side by side.
    table = Table(title=f"[bold]{section.title}[/]", title_justify="left", box=box.SIMPLE_HEAD,
                  show_edge=False, pad_edge=False, min_width=TABLE_WIDTH)  # fmt: skip
    for index, header in enumerate(section.header):
        table.add_column(header, justify="left" if index == 0 else "right",
                         no_wrap=index > 0)  # fmt: skip
    for row in section.rows or [("aucun", *[""] * (len(section.header) - 1))]:
        table.add_row(*row)
    if section.note:
        table.caption = section.note
        table.caption_justify = "left"
        table.caption_style = "dim"
    return Padding(table, (1, 0, 0, 0))


def _bars(heading: str, items: list[tuple[str, Decimal | int]], money: bool = False) -> str:
    biggest = max((float(v) for _, v in items), default=0) or 1
    width = max((len(label) for label, _ in items), default=0)
    lines = [f"[bold]{heading}[/]"]
    for label, value in items:
        length = round(float(value) / biggest * BAR_WIDTH)
        shown = numbers.euros(value) if money else numbers.number(value)
        bar = f"[blue]{'█' * length}[/] " if length else ""
        lines.append(f"  {label.ljust(width)} {bar}{shown}")
    return "\n".join(lines)


def print_bilan(b: Bilan, programme: str) -> None:
    """Key figures, every table of the bilan, and three text bar charts."""
    from rich.columns import Columns
    from rich.panel import Panel

    out = _console()
    figures = (
        f"{numbers.quantity(b.referrals.total, 'orientation reçue')} · "
        + numbers.quantity(b.households.reached, "ménage touché")
        + (f" (objectif {numbers.number(b.households.target)})" if b.households.target else "")
        + f" · {numbers.euros(b.costs.total)} dépensés"
        + (f" ({numbers.percent(b.budget.consumed_pct)} du budget)" if b.budget.amount else "")
    )
    out.print(Panel(f"{subtitle(b)}\n{figures}", title=f"[bold]{title(b, programme)}[/]",
                    title_align="left"))  # fmt: skip
    tables = sections(b)
    out.print(Columns([_table(s) for s in tables[:4]], padding=(0, 4)))
    by_month = [(numbers.month_name(i + 1), n) for i, n in enumerate(b.referrals.by_month)]
    out.print()
    out.print(_bars("Orientations reçues par mois", by_month))
    out.print(Columns([_table(s) for s in tables[4:6]], padding=(0, 4)))
    o = b.orientations
    counts = [o.sans_suite, o.remobilisation, o.accompagnement, o.droit_commun]
    decided = [(OUTCOME_LABELS[k], n) for k, n in zip(Outcome, counts, strict=True)]
    out.print()
    out.print(_bars("Orientations décidées", decided))
    out.print(Columns([_table(s) for s in tables[6:] if not s.chapter], padding=(0, 4)))
    spent = [(numbers.month_name(m.month), m.total) for m in b.costs.by_month
             if m.month <= b.end.month]  # fmt: skip
    out.print()
    out.print(_bars("Dépenses par mois", spent, money=True))
    out.print()
    out.rule(f"[bold]{PUBLICS}[/]", align="left")
    out.print(Columns([_table(s) for s in tables if s.chapter == PUBLICS], padding=(0, 4)))


def print_spending(s: Spending, by: str) -> None:
    """`visites costs`: the table, a bar chart, the projection against the budget."""
    from rich import box
    from rich.table import Table

    out = _console()
    out.print(f"[bold]Dépenses {s.year}[/] au {numbers.short(s.end)}")
    if by == "month":
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
        for index, header in enumerate((*MONTH_HEADER, "Budget au prorata")):
            table.add_column(header, justify="left" if index == 0 else "right", no_wrap=True)
        budget = s.budget.amount
        for row in month_rows(s.costs, _last_month(s)):
            month = s.costs.by_month[len(table.rows)].month
            pace = numbers.euros(budget * month / 12) if budget is not None else "—"
            table.add_row(*row, pace)
        out.print(table)
        out.print()
        items = [(numbers.month_name(m.month), m.total) for m in s.costs.by_month
                 if m.month <= _last_month(s)]  # fmt: skip
        out.print(_bars("Dépenses par mois", items, money=True))
    else:
        label = "Référent(e)" if by == "referent" else "Commune"
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
        for index, header in enumerate((label, "Ménages", "Diagnostics", "Mois", "Montant")):
            table.add_column(header, justify="left" if index == 0 else "right",
                             no_wrap=index > 0)  # fmt: skip
        for line in s.lines:
            table.add_row(line.key, numbers.number(line.households),
                          numbers.number(line.diagnostics), numbers.number(line.months),
                          numbers.euros(line.amount))  # fmt: skip
        out.print(table)
        out.print()
        out.print(_bars(f"Dépenses par {label.lower()}", [(x.key, x.amount) for x in s.lines],
                        money=True))  # fmt: skip
    out.print()
    out.print(f"Dépensé : [bold]{numbers.euros(s.costs.total)}[/]"
              + (f" sur {numbers.euros(s.budget.amount)} "
                 f"({numbers.percent(s.budget.consumed_pct)}), reste "
                 f"{numbers.euros(s.budget.remaining)}" if s.budget.amount is not None
                 else " (pas de budget pour cette année dans visites.yaml)"))  # fmt: skip
    if _last_month(s) < 12:
        verdict = ""
        if s.budget.amount is not None:
            gap = s.projection - s.budget.amount
            verdict = (f" — dépassement de {numbers.euros(gap)}" if gap > 0
                       else f" — dans le budget (marge {numbers.euros(-gap)})")  # fmt: skip
        out.print(f"Projection au 31/12 au rythme actuel : {numbers.euros(s.projection)}{verdict}")


def _last_month(s: Spending) -> int:
    return s.end.month if s.end.year == s.year else 12


def print_comparison(c: Comparison, programme: str) -> None:
    """Two bilans side by side (`bilan --compare`): the key figures, then every table with
    both years and the change."""
    from rich import box
    from rich.padding import Padding
    from rich.panel import Panel
    from rich.table import Table

    out = _console()
    first, second = c.years
    headline = " · ".join(
        f"{label} {numbers.number(a)} → {numbers.number(b)}" for label, a, b in key_figures(c)[:5]
    )
    out.print(Panel(f"{comparison.subtitle(c)}\n{headline}",
                    title=f"[bold]{comparison.title(c, programme)}[/]",
                    title_align="left"))  # fmt: skip
    for section in compared_sections(c):
        table = Table(title=f"[bold]{section.title}[/]", title_justify="left",
                      box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False,
                      min_width=TABLE_WIDTH)  # fmt: skip
        for index, header in enumerate(section.header):
            table.add_column(header, justify="left" if index == 0 else "right",
                             no_wrap=index > 0)  # fmt: skip
        for row in section.rows:
            table.add_row(row.label, row.first.text, row.second.text, row.change.text)
        if not section.rows:
            table.add_row("aucun", "", "", "")
        if section.note:
            table.caption, table.caption_justify, table.caption_style = (
                section.note, "left", "dim")  # fmt: skip
        out.print(Padding(table, (1, 0, 0, 0)))
    out.print()
    out.print(f"[dim]Évolution : {second} par rapport à {first} ; pts : points de pourcentage.[/]")
