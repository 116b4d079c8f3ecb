"""The accompaniment project and the household's finances: `objective add|set`, `finances`.

Output names the case by ID; the objectives' text is printed only to the worker who typed it
(`renew` and `close` list them too), never in a commit message nor a log.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import typer

from visites.cli.app import DateOption, JsonOption, app, day, examples, folder, print_json, today

if TYPE_CHECKING:
    from visites.model import Case
    from visites.store import Folder

IdArgument = Annotated[
    str, typer.Argument(metavar="ID", help="Identifiant du dossier (ex. 2015-007).")
]
objective_app = typer.Typer(
    add_completion=False, no_args_is_help=True, rich_markup_mode=None,
    pretty_exceptions_enable=False,
)  # fmt: skip
app.add_typer(
    objective_app,
    name="objective",
    help="Objectifs du projet d'accompagnement : add (ajouter), set (statut daté).",
    short_help="Objectifs du projet d'accompagnement (add, set)",
    epilog=examples(
        'visites objective add 2015-002 --text "Payer le loyer" --problem "budget / impayés"',
        "visites objective set 2015-002 1 --status atteint --date 08/09/2015",
    ),
)


@objective_app.command(
    "add",
    epilog=examples('visites objective add 2015-002 --text "Reprendre le loyer courant"'),
)
def add(
    ctx: typer.Context,
    case_id: IdArgument,
    text: Annotated[
        str, typer.Option("--text", help="L'objectif, dans les mots convenus avec le ménage.")
    ],
    problem: Annotated[
        str | None,
        typer.Option(
            "--problem",
            help="Problématique du diagnostic à laquelle il répond (liste de visites.yaml).",
            show_default=False,
        ),
    ] = None,
    date: DateOption = None,
    as_json: JsonOption = False,
) -> None:
    """Ajouter un objectif au projet d'accompagnement : il commence « en cours »."""
    from visites.services import cases
    from visites.workflow import AddObjective

    target = folder(ctx)
    if problem is not None:  # « Budget / impayés », santé… as every list (visites.matching)
        from visites import matching
        from visites.cli.app import listed

        problem = listed("--problem", matching.problem_domain, problem, target.config.lists)
    move = AddObjective(date=day(date, "--date", today()), text=text, problem=problem)
    case = cases.move(target, case_id, move, today())
    objective = case.objectives[-1]
    _warn_about(target, case, len(case.objectives) - 1)
    if as_json:
        print_json({"id": case.id, "objective": objective.number})
    else:
        typer.echo(objective.number)


@objective_app.command(
    "set", epilog=examples("visites objective set 2015-002 1 --status atteint --date 08/09/2015")
)
def set_status(
    ctx: typer.Context,
    case_id: IdArgument,
    number: Annotated[int, typer.Argument(metavar="N", help="Numéro de l'objectif (1, 2…).")],
    status: Annotated[
        str,
        typer.Option("--status", help="en-cours, atteint, partiel, non-atteint ou abandonne."),
    ],
    date: DateOption = None,
    note: Annotated[
        str | None, typer.Option("--note", help="Précision (confidentielle).", show_default=False)
    ] = None,
) -> None:
    """Noter le statut d'un objectif, daté ; l'historique des statuts est gardé."""
    from visites.dates import short
    from visites.errors import UsageProblem
    from visites.objectives import status_code
    from visites.services import cases
    from visites.vocabulary import OBJECTIVE_STATUS_LABELS
    from visites.workflow import SetObjective

    try:
        code = status_code(status)
    except ValueError as error:
        raise UsageProblem(f"--status : {error}") from None
    when = day(date, "--date", today())
    move = SetObjective(number=number, date=when, status=code, note=note)
    case = cases.move(folder(ctx), case_id, move, today())
    label = OBJECTIVE_STATUS_LABELS[code]
    typer.echo(f"Dossier {case.id} : objectif {number} « {label} » au {short(when)}.")


@app.command(
    short_help="Situation financière du ménage : dette, ressources, loyer, APL",
    epilog=examples(
        'visites finances 2015-002 --date 12/01/2015 --arrears "2 400"',
        'visites finances 2015-002 --date 02/05/2015 --arrears "1 800 €" --repayment-plan',
    ),
)
def finances(
    ctx: typer.Context,
    case_id: IdArgument,
    date: DateOption = None,
    arrears: Annotated[
        str | None,
        typer.Option(
            "--arrears", help="Dette locative, en euros (« 1 240,50 »).", show_default=False
        ),
    ] = None,
    resources: Annotated[
        str | None,
        typer.Option(
            "--resources", help="Ressources mensuelles du ménage, en euros.", show_default=False
        ),
    ] = None,
    rent: Annotated[
        str | None,
        typer.Option("--rent", help="Loyer charges comprises, en euros.", show_default=False),
    ] = None,
    housing_benefit: Annotated[
        str | None,
        typer.Option(
            "--housing-benefit", help="APL ou AL mensuelle, en euros.", show_default=False
        ),
    ] = None,
    repayment_plan: Annotated[
        bool | None,
        typer.Option(
            "--repayment-plan/--no-repayment-plan",
            help="Plan d'apurement signé (ou plus de plan).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Noter la situation financière du ménage à une date : seuls les montants donnés."""
    from visites.dates import short
    from visites.services import cases
    from visites.workflow import RecordFinances

    when = day(date, "--date", today())
    move = RecordFinances(
        date=when,
        arrears=_amount(arrears, "--arrears"),
        resources=_amount(resources, "--resources"),
        rent=_amount(rent, "--rent"),
        housing_benefit=_amount(housing_benefit, "--housing-benefit"),
        repayment_plan=repayment_plan,
    )
    target = folder(ctx)
    case = cases.move(target, case_id, move, today())
    typer.echo(f"Dossier {case.id} : situation financière du {short(when)} enregistrée.")
    added = max(i for i, statement in enumerate(case.finances) if statement.date == when)
    _warn_about(target, case, added, "finances")  # after those of its day (date order)
    from visites import finances as money

    rate = money.situation(case.finances).effort_rate
    if rate is not None:
        from visites.render import numbers

        typer.echo(f"Taux d'effort (derniers montants connus) : {numbers.percent(rate * 100)}.")


def _amount(text: str | None, option: str) -> Decimal | None:
    """An amount typed after `option`; a usage error (exit 2) when it says none."""
    if text is None:
        return None
    from visites.amounts import parse_amount
    from visites.errors import UsageProblem

    try:
        return parse_amount(text)
    except ValueError as error:
        raise UsageProblem(f"{option} : {error}") from None


def _warn_about(target: Folder, case: Case, index: int, key: str = "objectifs") -> None:
    """What `check` warns about the objective or the statement just added (a domain the
    diagnostic lacks, a housing benefit above the rent)."""
    from visites.checks import validate_case
    from visites.errors import WARNING

    for finding in validate_case(case, target.config):
        if finding.severity == WARNING and finding.loc[:2] == (key, index):
            typer.echo(f"avertissement : dossier {case.id} : {finding.message}", err=True)


def print_objectives(case: Case, closing: bool = False) -> None:
    """The objectives and their status (after `renew` and `close`); on closing, a warning
    for each objective still « en cours »."""
    from visites.dates import short
    from visites.objectives import still_open
    from visites.render.case_view import objective_line

    if case.accompaniment is None:
        return
    if not case.objectives:
        typer.echo(f"Aucun objectif noté (visites objective add {case.id} --text TEXTE).")
        return
    typer.echo("Objectifs du projet d'accompagnement :")
    for objective in case.objectives:
        typer.echo(f"  {objective.number}. {objective_line(objective)}")
    if not closing or case.closure is None:
        return
    for objective in still_open(case.objectives):
        typer.echo(
            f"avertissement : dossier {case.id} : objectif {objective.number} encore en cours ; "
            f"notez son statut final (daté au plus tard le {short(case.closure.date)}) : "
            f"visites objective set {case.id} {objective.number} "
            "--status atteint|partiel|non-atteint|abandonne --date JJ/MM/AAAA",
            err=True,
        )
