"""The bilan as Markdown that also reads well as plain text: aligned tables, text bar charts."""

from __future__ import annotations

from decimal import Decimal

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
from visites.reports import Bilan
from visites.vocabulary import OUTCOME_LABELS

BAR_WIDTH = 30


def table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    """A pipe table padded so the columns line up in a plain text editor; numbers right."""
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows, strict=True)]

    def line(cells: tuple[str, ...]) -> str:
        padded = [c.ljust(w) if i == 0 else c.rjust(w)
                  for i, (c, w) in enumerate(zip(cells, widths, strict=True))]  # fmt: skip
        return "| " + " | ".join(padded) + " |"

    rule = "|" + "|".join(
        "-" * (w + 2) if i == 0 else "-" * (w + 1) + ":" for i, w in enumerate(widths)
    ) + "|"  # fmt: skip
    return "\n".join([line(header), rule, *(line(r) for r in rows)])


def bars(items: list[tuple[str, Decimal | int]], unit: str = "") -> str:
    """A text bar chart in a code block: one `label  ████████ value` line per item."""
    biggest = max((float(v) for _, v in items), default=0) or 1
    label_width = max((len(label) for label, _ in items), default=0)
    lines = []
    for label, value in items:
        length = round(float(value) / biggest * BAR_WIDTH)
        shown = numbers.euros(value) if unit == "€" else numbers.number(value)
        lines.append(f"{label.ljust(label_width)}  {'█' * length}{' ' if length else ''}{shown}")
    return "```\n" + "\n".join(lines) + "\n```"


def _section(section: Section) -> str:
    text = f"## {section.title}\n\n"
    text += table(section.header, section.rows) if section.rows else "_Aucun._"
    if section.note:
        text += f"\n\n_{section.note}_"
    return text


def bilan_markdown(b: Bilan, programme: str) -> str:
    """The whole bilan: tables and the three charts as text bars."""
    parts = [f"# {title(b, programme)}", subtitle(b)]
    tables = sections(b)
    for section in (s for s in tables if not s.chapter):
        parts.append(_section(section))
        if section.title == "Orientations reçues":
            by_month = [(numbers.month_name(i + 1), n) for i, n in enumerate(b.referrals.by_month)]
            parts.append("Orientations reçues par mois :\n\n" + bars(by_month))
        elif section.title == "Orientations décidées":
            o = b.orientations
            counts = [o.sans_suite, o.remobilisation, o.accompagnement, o.droit_commun]
            labelled = [(OUTCOME_LABELS[k], n) for k, n in zip(Outcome, counts, strict=True)]
            parts.append(bars(labelled))
    parts.append("## Dépenses par mois\n\n" + table(MONTH_HEADER, month_rows(b.costs, b.end.month)))
    spent = [(numbers.month_name(m.month), m.total) for m in b.costs.by_month
             if m.month <= b.end.month]  # fmt: skip
    parts.append(bars(spent, "€"))
    if b.budget.amount:
        parts.append(
            f"Dépensé : {numbers.euros(b.costs.total)} sur {numbers.euros(b.budget.amount)} "
            f"({numbers.percent(b.budget.consumed_pct)} du budget)."
        )
    parts += [f"# {PUBLICS}", *(_section(s) for s in tables if s.chapter == PUBLICS)]
    return "\n\n".join(parts) + "\n"


def comparison_markdown(c: Comparison, programme: str) -> str:
    """Two bilans side by side: every table with both years and the change, then the key
    figures as text bars."""
    parts = [f"# {comparison.title(c, programme)}", comparison.subtitle(c)]
    first, second = c.years
    figures = key_figures(c)
    lines = [f"- {label} : {numbers.number(a)} en {first}, {numbers.number(b)} en {second}"
             for label, a, b in figures]  # fmt: skip
    parts.append("\n".join(lines))
    for section in compared_sections(c):
        text = f"## {section.title}\n\n"
        rows = [(r.label, r.first.text, r.second.text, r.change.text) for r in section.rows]
        text += table(section.header, rows) if rows else "_Aucun._"
        if section.note:
            text += f"\n\n_{section.note}_"
        parts.append(text)
    paired = [(f"{label} ({year})", value) for label, a, b in figures
              for year, value in ((first, a), (second, b))]  # fmt: skip
    parts.append("## Chiffres clés\n\n" + bars(paired))
    parts.append(f"Évolution : {second} par rapport à {first} ; pts : points de pourcentage.")
    return "\n\n".join(parts) + "\n"
