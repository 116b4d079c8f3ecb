"""The bilan as one self-contained HTML file (inline CSS and SVG charts) that prints on A4."""

from __future__ import annotations

from visites.comparison import Comparison
from visites.config import Config
from visites.render import charts, comparison, numbers
from visites.render.sections import (
    MONTH_HEADER,
    PUBLICS,
    cost_section,
    month_rows,
    sections,
    subtitle,
    title,
)
from visites.reports import Bilan


def bilan_html(b: Bilan, config: Config) -> str:
    """The bilan page: key figures, tables two by two, the three charts; then the
    « Publics » page, with its chart."""
    from importlib.resources import files

    import jinja2

    source = (files("visites") / "data" / "bilan.html.j2").read_text(encoding="utf-8")
    environment = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    template = environment.from_string(source)
    tables = sections(b)
    publics = [t for t in tables if t.chapter == PUBLICS]
    costs = cost_section(b)
    key_figures = [
        (numbers.plural(b.referrals.total, "orientation reçue"), numbers.number(b.referrals.total)),
        (numbers.plural(b.households.reached, "ménage touché"), numbers.number(b.households.reached)
         + (f" / {numbers.number(b.households.target)}" if b.households.target else "")),
        ("dépensés", numbers.euros(b.costs.total)),
        ("du budget consommé", numbers.percent(b.budget.consumed_pct)),
    ]  # fmt: skip
    partners = config.partners
    return template.render(
        title=title(b, config.programme),
        subtitle=subtitle(b),
        partners=f"{partners.landlord} et {partners.association}",
        key_figures=key_figures,
        first=tables[:4],  # referrals, by commune, by referrer, adhesions
        middle=tables[4:6],  # diagnostics, orientations
        last=[t for t in tables[6:] if not t.chapter],  # accompaniments … costs
        publics_title=PUBLICS,
        # A page of their own: the households of the year as key figures (the rows of the
        # first table), the other tables in two columns, the chart under the partners.
        publics_figures=publics[0],
        publics_left=publics[1:4],  # typology, priority publics, dwellings
        publics_right=publics[4:],  # partners
        publics_chart=charts.publics_svg(b),
        referrals_chart=charts.referrals_svg(b),
        orientations_chart=charts.orientations_svg(b),
        progress_chart=charts.progress_svg(b),
        spending_chart=charts.spending_svg(b),
        month_header=MONTH_HEADER,
        month_rows=month_rows(b.costs, b.end.month),
        billing_note=costs.note,
    )


def comparison_html(c: Comparison, config: Config) -> str:
    """Two bilans side by side: the key figures of both years, their chart, every table with
    the change."""
    from importlib.resources import files

    import jinja2

    source = (files("visites") / "data" / "bilan-compare.html.j2").read_text(encoding="utf-8")
    environment = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    partners = config.partners
    first, second = c.years
    return environment.from_string(source).render(
        title=comparison.title(c, config.programme),
        subtitle=comparison.subtitle(c),
        partners=f"{partners.landlord} et {partners.association}",
        years=c.years,
        key_figures=[
            (label, numbers.number(a), numbers.number(b))
            for label, a, b in comparison.key_figures(c)[:4]
        ],
        chart=charts.comparison_svg(c),
        sections=comparison.compared_sections(c),
        reading=f"Évolution : {second} par rapport à {first} ; pts : points de pourcentage.",
    )
