"""The bilan's charts as inline SVG (matplotlib, imported only when a chart is drawn).

Text stays text in the SVG (selectable, crisp in print); the output carries no date, so the
same bilan gives the same file.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import TYPE_CHECKING

from visites.comparison import Comparison
from visites.model import OBJECTIVE_STATUSES, Outcome
from visites.render import numbers
from visites.reports import Bilan
from visites.vocabulary import OBJECTIVE_STATUS_LABELS, OUTCOME_LABELS

if TYPE_CHECKING:
    from matplotlib.figure import Figure

BLUE, ORANGE, GREY, RED = "#2b6cb0", "#dd8a2a", "#8a8f98", "#c0392b"
MONTH_ABBREVIATIONS = ("janv.", "févr.", "mars", "avr.", "mai", "juin",
                       "juil.", "août", "sept.", "oct.", "nov.", "déc.")  # fmt: skip


def _figure(width: float, height: float) -> Figure:
    import matplotlib

    matplotlib.rcParams.update({
        "svg.fonttype": "none",  # keep text as text
        "svg.hashsalt": "visites",  # stable ids: the same bilan gives the same bytes
        "font.family": "sans-serif",
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
    })  # fmt: skip
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    return text[text.index("<svg") :]  # inline in HTML: no XML prolog nor doctype


def _integers(axis: object) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))  # type: ignore[attr-defined]
    axis.set_major_formatter(FuncFormatter(lambda v, _: numbers.number(int(v))))  # type: ignore[attr-defined]


def orientations_svg(report: Bilan) -> str:
    """Horizontal bars: the four orientations decided in the year."""
    o = report.orientations
    counts = [o.sans_suite, o.remobilisation, o.accompagnement, o.droit_commun]
    labels = [OUTCOME_LABELS[outcome] for outcome in Outcome]
    figure = _figure(6.3, 1.9)
    axes = figure.add_subplot()
    bars = axes.barh(labels[::-1], counts[::-1], color=BLUE)
    axes.bar_label(bars, labels=[numbers.number(c) for c in counts[::-1]], padding=3)
    _integers(axes.xaxis)
    axes.set_title(f"Orientations décidées en {report.year}", loc="left")
    return _svg(figure)


def referrals_svg(report: Bilan) -> str:
    """Vertical bars: referrals received each month."""
    figure = _figure(6.3, 2.2)
    axes = figure.add_subplot()
    counts = report.referrals.by_month
    bars = axes.bar(MONTH_ABBREVIATIONS, counts, color=BLUE)
    axes.margins(y=0.2)  # room for the labels above the tallest bar
    axes.bar_label(bars, labels=[numbers.number(c) if c else "" for c in counts], padding=2)
    _integers(axes.yaxis)
    axes.set_title(f"Orientations reçues par mois en {report.year}", loc="left")
    return _svg(figure)


def spending_svg(report: Bilan) -> str:
    """Monthly spending (stacked), then the cumulative spending against the budget."""
    from matplotlib.ticker import FuncFormatter

    months = [m for m in report.costs.by_month if m.month <= report.end.month]
    labels = [MONTH_ABBREVIATIONS[m.month - 1] for m in months]
    figure = _figure(6.3, 3.8)
    monthly, cumulative = figure.subplots(2, 1, sharex=True)
    diagnostics = [float(m.diagnostics) for m in months]
    accompaniment = [float(m.accompaniment) for m in months]
    monthly.bar(labels, diagnostics, color=ORANGE, label="diagnostics")
    monthly.bar(labels, accompaniment, bottom=diagnostics, color=BLUE, label="accompagnement")
    monthly.set_title("Dépenses par mois", loc="left")
    monthly.legend(frameon=False, fontsize=8, ncols=2, loc="lower right", bbox_to_anchor=(1, 1))
    euros = FuncFormatter(lambda v, _: numbers.euros(Decimal(int(v))))
    monthly.yaxis.set_major_formatter(euros)
    spent = [float(m.cumulative) for m in months]
    cumulative.plot(labels, spent, color=BLUE, marker="o", label="dépenses cumulées")
    budget = report.budget.amount
    if budget:
        pace = [float(budget) * m.month / 12 for m in months]
        cumulative.plot(labels, pace, color=GREY, linestyle="--", label="budget au prorata")
        cumulative.axhline(float(budget), color=RED, linewidth=1, label="budget de l'année")
    cumulative.set_title("Dépenses cumulées et budget", loc="left")
    cumulative.yaxis.set_major_formatter(euros)
    cumulative.set_ylim(bottom=0, top=max([*spent, float(budget or 0)]) * 1.25 or 1)
    cumulative.legend(frameon=False, fontsize=8, ncols=3, loc="upper left")
    return _svg(figure)


def publics_svg(report: Bilan) -> str:
    """Horizontal bars: the households of the year by typology (« non renseignée » last)."""
    from visites.publics import UNKNOWN
    from visites.vocabulary import NOT_RECORDED, TYPOLOGY_LABELS, label

    items = [(f"{NOT_RECORDED}e" if code == UNKNOWN else label(TYPOLOGY_LABELS, code), count)
             for code, count in report.publics.typology.items()]  # fmt: skip
    figure = _figure(3.4, 0.8 + 0.28 * len(items))
    axes = figure.add_subplot()
    counts = [count for _, count in items][::-1]
    bars = axes.barh([name for name, _ in items][::-1], counts, color=BLUE)
    axes.bar_label(bars, labels=[numbers.number(c) for c in counts], padding=3)
    axes.margins(x=0.15)  # room for the label after the longest bar
    _integers(axes.xaxis)
    axes.xaxis.get_major_locator().set_params(nbins=5)
    # Over the whole figure: the long labels push the axes, and a title over them, right.
    figure.suptitle(f"Ménages de {report.year} par typologie", x=0.02, ha="left", fontsize=9)
    return _svg(figure)


def progress_svg(report: Bilan) -> str:
    """What the accompaniments changed: the objectives by final status, and the rent arrears
    of the households closed in the year, first figure against the last."""
    from matplotlib.ticker import FuncFormatter

    o, debt = report.objectives, report.arrears
    figure = _figure(6.3, 2.1)
    statuses, arrears = figure.subplots(1, 2, width_ratios=(3, 2))
    labels = [OBJECTIVE_STATUS_LABELS[code] for code in OBJECTIVE_STATUSES]
    counts = [o.by_status[code] for code in OBJECTIVE_STATUSES]
    colours = [GREY, BLUE, BLUE, ORANGE, RED]  # en cours, atteint, partiel, non atteint, abandonné
    bars = statuses.barh(labels[::-1], counts[::-1], color=colours[::-1])
    statuses.bar_label(bars, labels=[numbers.number(c) for c in counts[::-1]], padding=3)
    _integers(statuses.xaxis)
    statuses.set_title("Objectifs des accompagnements terminés", loc="left")
    totals = [float(debt.first_total), float(debt.last_total)]
    columns = arrears.bar(["à l'orientation", "dernière connue"], totals, color=[ORANGE, BLUE])
    shown = [numbers.euros(debt.first_total), numbers.euros(debt.last_total)]
    arrears.bar_label(columns, labels=shown, padding=2)
    arrears.margins(y=0.25)
    arrears.yaxis.set_major_formatter(FuncFormatter(lambda v, _: numbers.euros(Decimal(int(v)))))
    arrears.set_title(f"Dette locative ({numbers.number(debt.households)} ménages)", loc="left")
    return _svg(figure)


def comparison_svg(c: Comparison) -> str:
    """The key figures of both years, bar against bar."""
    from visites.render.comparison import key_figures

    figures = key_figures(c)
    figure = _figure(6.3, 3.0)
    axes = figure.add_subplot()
    positions = list(range(len(figures)))[::-1]
    height = 0.38
    for shift, (year, colour, values) in enumerate((
        (c.years[0], GREY, [a for _, a, _ in figures]),
        (c.years[1], BLUE, [b for _, _, b in figures]),
    )):  # fmt: skip
        where = [p + height / 2 - shift * height for p in positions]
        bars = axes.barh(where, values, height=height, color=colour, label=str(year))
        axes.bar_label(bars, labels=[numbers.number(v) for v in values], padding=3, fontsize=8)
    axes.set_yticks(positions, [label for label, _, _ in figures])
    _integers(axes.xaxis)
    axes.margins(x=0.12)
    axes.legend(frameon=False, fontsize=8, ncols=2, loc="lower right", bbox_to_anchor=(1, 1))
    axes.set_title("Chiffres clés", loc="left")
    return _svg(figure)
