"""The bilan annuel and the spending follow-up: whole-folder reports, in the terminal or as
documents (md, html, csv, xlsx)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from visites.cli.app import JsonOption, app, day, examples, folder, listed, print_json, today

TodayOption = Annotated[
    str | None,
    typer.Option("--today", help="Arrêter le bilan à cette date (par défaut aujourd'hui ; "
                 "une année passée va jusqu'au 31/12).", show_default=False),
]  # fmt: skip
BILAN_FORMATS = ("md", "html", "csv", "xlsx")


def _year(value: int) -> int:
    from visites.errors import UsageProblem

    if not 2000 <= value <= 2099:
        raise UsageProblem(f"année « {value} » hors plage (entre 2000 et 2099)")
    return value


def _end(year: int, today_text: str | None) -> object:
    from visites.dates import short
    from visites.errors import UsageProblem
    from visites.reports import report_end

    reference = day(today_text, "--today", today())
    if reference.year < year:
        raise UsageProblem(f"--today : le {short(reference)}, l'année {year} n'a pas commencé")
    return report_end(year, reference)


@app.command(
    epilog=examples(
        "visites bilan 2015 --output bilan-2015.html",
        "visites bilan 2016 --today 30/06/2016",
    )
)
def bilan(
    ctx: typer.Context,
    year: Annotated[int, typer.Argument(metavar="ANNÉE", help="Année civile du bilan (ex. 2015).")],
    today_text: TodayOption = None,
    as_json: JsonOption = False,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format", help="Document à écrire : md, html, csv ou xlsx.", show_default=False
        ),
    ] = None,  # fmt: skip
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            help="Fichier du document (le format suit son extension).",
            show_default=False,
        ),
    ] = None,  # fmt: skip
    compare: Annotated[
        int | None,
        typer.Option(
            "--compare",
            metavar="ANNÉE",
            help="Mettre une autre année à côté, sur la même période, avec l'évolution.",
            show_default=False,
        ),
    ] = None,  # fmt: skip
) -> None:
    """Bilan annuel : orientations, adhésions, diagnostics, accompagnements, objectifs, dette
    locative, coûts et budget ; --compare ANNÉE met deux années côte à côte."""
    from visites.cli.output import choose_format, every_case, write_document
    from visites.errors import UsageProblem
    from visites.reports import bilan as make_bilan

    chosen = choose_format(fmt, output, BILAN_FORMATS)
    if chosen == "xlsx" and output is None:
        raise UsageProblem("--format xlsx demande --output FICHIER.xlsx")
    if compare is not None:
        _compare(ctx, _year(year), _year(compare), today_text, as_json, chosen, output)
        return
    target = folder(ctx)
    config = target.config
    cases = every_case(target, "bilan non produit", range(year, year + 1))  # this year's only
    report = make_bilan(cases, _year(year), config, _end(year, today_text))
    if as_json:
        from visites.render.json import plain

        print_json(plain(report))
        return
    if chosen is None:
        from visites.render.bilan_terminal import print_bilan

        print_bilan(report, config.programme)
        return
    content = _document(report, chosen, config)
    if output is None:
        typer.echo(content.decode("utf-8-sig"), nl=False)
        return
    write_document(output, content)
    typer.echo(f"Bilan {year} écrit : {output}")


def _compare(
    ctx: typer.Context,
    year: int,
    other: int,
    today_text: str | None,
    as_json: bool,
    chosen: str | None,
    output: Path | None,
) -> None:
    """`bilan YEAR --compare OTHER`: both years over the same period, side by side."""
    from visites.cli.output import every_case, write_document
    from visites.comparison import comparison
    from visites.errors import UsageProblem

    if other == year:
        raise UsageProblem(f"--compare {other} : choisissez une autre année que {year}")
    for each in (year, other):
        _end(each, today_text)  # refuses a year not begun on --today
    target = folder(ctx)
    config = target.config
    span = range(min(year, other), max(year, other) + 1)
    cases = every_case(target, "bilan non produit", span)
    report = comparison(cases, (year, other), config, day(today_text, "--today", today()))
    if as_json:
        from visites.render.json import plain

        print_json(plain(report))
        return
    if chosen is None:
        from visites.render.bilan_terminal import print_comparison

        print_comparison(report, config.programme)
        return
    content = _comparison_document(report, chosen, config)
    if output is None:
        typer.echo(content.decode("utf-8-sig"), nl=False)
        return
    write_document(output, content)
    typer.echo(f"Bilans {report.years[0]} et {report.years[1]} comparés écrits : {output}")


def _comparison_document(report: object, chosen: str, config: object) -> bytes:
    from visites.comparison import Comparison
    from visites.config import Config

    assert isinstance(report, Comparison) and isinstance(config, Config)
    if chosen == "md":
        from visites.render.markdown import comparison_markdown

        return comparison_markdown(report, config.programme).encode("utf-8")
    if chosen == "html":
        from visites.render.html import comparison_html

        return comparison_html(report, config).encode("utf-8")
    if chosen == "csv":
        from visites.render.csv import comparison_csv

        return comparison_csv(report)
    from visites.render.xlsx import comparison_xlsx

    return comparison_xlsx(report, config.programme)


def _document(report: object, chosen: str, config: object) -> bytes:
    from visites.config import Config
    from visites.reports import Bilan

    assert isinstance(report, Bilan) and isinstance(config, Config)
    if chosen == "md":
        from visites.render.markdown import bilan_markdown

        return bilan_markdown(report, config.programme).encode("utf-8")
    if chosen == "html":
        from visites.render.html import bilan_html

        return bilan_html(report, config).encode("utf-8")
    if chosen == "csv":
        from visites.render.csv import bilan_csv

        return bilan_csv(report)
    from visites.render.xlsx import bilan_xlsx

    return bilan_xlsx(report, config.programme)


@app.command(
    short_help="Dépenses de l'année face au budget, et projection",
    epilog=examples("visites costs", "visites costs 2015 --by referent"),
)
def costs(
    ctx: typer.Context,
    year: Annotated[
        int | None,
        typer.Argument(metavar="ANNÉE", help="Année civile (par défaut l'année en cours)."),
    ] = None,
    by: Annotated[
        str, typer.Option("--by", help="Regrouper par mois, référent(e) ou commune.")
    ] = "mois",
    today_text: TodayOption = None,
    as_json: JsonOption = False,
) -> None:
    """Dépenses de l'année à ce jour, face au budget, avec la projection au 31 décembre."""
    from visites import matching
    from visites.cli.output import readable_cases
    from visites.reports import spending

    grouping = listed("--by", matching.grouping, by)
    reference = day(today_text, "--today", today())
    chosen_year = _year(year if year is not None else reference.year)
    target = folder(ctx)
    end = _end(chosen_year, today_text)
    report = spending(readable_cases(target), chosen_year, target.config, end, grouping)
    if as_json:
        from visites.render.json import plain

        print_json(plain(report))
        return
    from visites.render.bilan_terminal import print_spending

    print_spending(report, grouping)
