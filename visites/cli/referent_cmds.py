"""Handing cases over: `visites referent ID NAME` for one case, `--from/--to` for a caseload.

Output names cases by ID only, never a household: the list of a caseload is read out in
team meetings and ends up in terminals shared with colleagues.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from visites.cli.app import (
    DateOption,
    app,
    author,
    day,
    examples,
    folder,
    optional_day,
    today,
)

if TYPE_CHECKING:
    from visites.services.handover import Caseload, Moved


@app.command(
    short_help="Changer de référent(e) : un dossier ou tout un portefeuille",
    epilog=examples(
        'visites referent 2015-007 "Karim Benali" --date 01/03/2015',
        'visites referent --from "Claire Dubois" --to "Karim Benali" --date 01/03/2015',
    ),
)
def referent(
    ctx: typer.Context,
    case_id: Annotated[
        str | None,
        typer.Argument(
            metavar="ID", help="Dossier à transférer (ex. 2015-007).", show_default=False
        ),
    ] = None,
    name: Annotated[
        str | None,
        typer.Argument(metavar="NOM", help="Nouveau/nouvelle référent(e).", show_default=False),
    ] = None,
    source: Annotated[
        str | None,
        typer.Option(
            "--from",
            help="Transférer tous les dossiers ouverts de cette personne…",
            show_default=False,
        ),
    ] = None,
    target: Annotated[
        str | None,
        typer.Option("--to", help="… à cette personne.", show_default=False),
    ] = None,
    date: DateOption = None,
    until: Annotated[
        str | None,
        typer.Option(
            "--until",
            help="Remplacement jusqu'à cette date incluse (congé) : le "
            "dossier revient ensuite à son/sa référent(e).",
            show_default=False,
        ),
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", help="Motif (confidentiel).", show_default=False)
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Montrer les dossiers concernés, sans rien changer.")
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", help="Ne pas demander confirmation.")] = False,
) -> None:
    """Changer le/la référent(e) d'un dossier (ID NOM), ou de tous les dossiers ouverts d'une
    personne (--from NOM --to NOM) ; avec --until, pour un remplacement pendant un congé."""
    from visites.errors import UsageProblem

    when = day(date, "--date", today())
    end = optional_day(until, "--until")
    caseload = source is not None or target is not None
    if caseload and (case_id is not None or name is not None):
        raise UsageProblem("donnez soit ID NOM (un dossier), soit --from NOM --to NOM (tous)")
    if caseload:
        if source is None or target is None:
            raise UsageProblem("--from et --to vont ensemble : --from NOM --to NOM")
        _caseload(ctx, source, target, when, end, note, dry_run, yes)
        return
    if case_id is None or name is None:
        raise UsageProblem("indiquez le dossier et le/la référent(e) : visites referent ID NOM "
                           "(ou --from NOM --to NOM)")  # fmt: skip
    if dry_run:
        raise UsageProblem("--dry-run va avec --from/--to (un dossier se voit avec visites show)")
    from visites.services.handover import hand_over

    moved = hand_over(folder(ctx), case_id, name, when, today(), until=end, note=note,
                      by=author(None))  # fmt: skip
    typer.echo(f"Dossier {case_id} : {_what(moved)}.")
    _appointments(moved.appointments, moved.name)
    _cover_warning(moved)


def _appointments(count: int, name: str, future: bool = False) -> None:
    """« 2 rendez-vous à venir passent à Karim Benali. » (said only when there are some)."""
    from visites.render.numbers import number, plural

    if count:
        verb = plural(count, *(("passera", "passeront") if future else ("passe", "passent")))
        typer.echo(f"{number(count)} rendez-vous à venir {verb} à {name}.")


def _what(moved: Moved) -> str:
    """« Karim Benali référent(e) depuis le 01/03/2015 (avant : Claire Dubois) »."""
    from visites.dates import short
    from visites.referents import NOBODY

    since, before = short(moved.since), moved.previous or NOBODY
    if moved.until is None:
        return f"{moved.name} référent(e) depuis le {since} (avant : {before})"
    return (f"{moved.name} remplace {before} du {since} au {short(moved.until)}, "
            f"puis retour à {moved.returns_to or NOBODY}")  # fmt: skip


def _cover_warning(moved: Moved) -> None:
    from visites.dates import short
    from visites.referents import NOBODY

    if moved.cover is None:
        return
    back = moved.cover.returns_to or NOBODY
    typer.echo(
        f"avertissement : dossier {moved.case.id} : {moved.previous} n'en avait que le "
        f"remplacement jusqu'au {short(moved.cover.until)} ; ce transfert est définitif "
        f"(avec --until {short(moved.cover.until)}, il serait revenu ensuite à {back})",
        err=True,
    )


def _caseload(
    ctx: typer.Context,
    source: str,
    target: str,
    when: object,
    end: object,
    note: str | None,
    dry_run: bool,
    yes: bool,
) -> None:
    from datetime import date

    from visites.errors import VisitesError
    from visites.services.handover import plan_caseload, transfer_caseload

    assert isinstance(when, date) and (end is None or isinstance(end, date))
    where = folder(ctx)
    plan = plan_caseload(where, source, target, when, today(), until=end, note=note or None,
                         by=author(None))  # fmt: skip
    _show_plan(plan)
    if not plan.moves:
        return
    if dry_run:
        _appointments(plan.appointments, plan.target, future=True)
        typer.echo("Simulation (--dry-run) : aucun dossier modifié.")
        return
    count = len(plan.moves)
    if not yes:
        from visites.cli import asking

        if not asking.terminal():
            raise VisitesError(
                "confirmation impossible sans terminal : relancez avec --yes "
                "(ou --dry-run pour seulement voir la liste)"
            )
        question = f"Transférer ces {count} dossiers ?" if count > 1 else "Transférer ce dossier ?"
        if not asking.confirm(question):
            typer.echo("Transfert abandonné : aucun dossier modifié.", err=True)
            raise typer.Exit(1)
    done = transfer_caseload(where, plan, today(), author(None))
    from visites.render.numbers import quantity

    typer.echo(f"{quantity(len(done.moves), 'dossier transféré')} à {done.target}.")
    _appointments(done.appointments, done.target)
    for moved in done.moves:
        _cover_warning(moved)


def _show_plan(plan: Caseload) -> None:
    from visites.dates import short
    from visites.render.numbers import plural, quantity
    from visites.vocabulary import PHASE_LABELS

    count = len(plan.moves)
    period = (f"du {short(plan.when)} au {short(plan.until)} (remplacement)" if plan.until
              else f"à partir du {short(plan.when)}")  # fmt: skip
    if not count:
        typer.echo(f"Aucun dossier ouvert de {plan.source} le {short(plan.when)} : "
                   "rien à transférer.")  # fmt: skip
    else:
        typer.echo(f"{quantity(count, 'dossier ouvert')} de {plan.source} à transférer à "
                   f"{plan.target}, {period} :")  # fmt: skip
        for moved in plan.moves:
            later = moved.since != plan.when  # referred after the date: from its referral
            since = f" (à partir du {short(moved.since)}, orientation reçue)" if later else ""
            typer.echo(f"  {moved.case.id}  {PHASE_LABELS[moved.case.phase]}{since}")
    if plan.closed_kept:
        kept = plural(len(plan.closed_kept), "Dossier clôturé non transféré",
                      "Dossiers clôturés non transférés")  # fmt: skip
        typer.echo(f"{kept} (un dossier clôturé garde son/sa référent(e)) : "
                   f"{', '.join(plan.closed_kept)}.")  # fmt: skip
