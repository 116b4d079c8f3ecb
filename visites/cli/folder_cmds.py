"""Commands over the whole folder: init, status, show, check."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from visites.cli.app import JsonOption, app, day, examples, folder, listed, print_json, today

if TYPE_CHECKING:
    from datetime import date

    from visites.phases import Phase
    from visites.status import Summary
    from visites.store import Folder


@app.command(
    epilog=examples(
        "visites init ~/visites-lnh",
        'visites init ~/visites-lnh --referent "Claire Dubois" --referent "Karim Benali"',
    )
)
def init(
    directory: Annotated[
        Path,
        typer.Argument(metavar="DOSSIER", help="Dossier à créer (ou dossier vide existant)."),
    ],
    referent: Annotated[
        list[str] | None,
        typer.Option(
            "--referent",
            help="Référent(e) de l'association (répétable). Sur un terminal, sans cette "
            "option, la liste est demandée ; vide : les noms ne sont pas contrôlés.",
        ),
    ] = None,
) -> None:
    """Créer un dossier de cas : visites.yaml commenté et un LISEZMOI."""
    from visites.cli import asking
    from visites.services.folder import init_folder

    names = [" ".join(name.split()) for name in referent or [] if name.strip()]
    if referent is None and asking.terminal():
        answer = typer.prompt(
            "Référent(e)s de l'association, séparé(e)s par des virgules (vide : pas de "
            "contrôle des noms)",
            default="",
            show_default=False,
            prompt_suffix=" : ",
        )
        names = [" ".join(name.split()) for name in answer.split(",") if name.strip()]
    created = init_folder(directory, referents=names)
    typer.echo(f"Dossier de cas prêt : {created}")
    if (created / ".git").is_dir():
        typer.echo("Dépôt git créé : chaque modification sera enregistrée (visites history).")
    if names:
        typer.echo(f"Référent(e)s : {', '.join(names)}.")
    typer.echo(f"Réglages : {created / 'visites.yaml'} (à relire : budgets, référent(e)s).")
    typer.echo(f"Pour l'utiliser : cd {created} ou visites --cases {created} status")


@app.command(
    epilog=examples(
        "visites status --overdue --today 30/06/2015",
        "visites status --phase diagnostic --referent karim",
    )
)
def status(
    ctx: typer.Context,
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Seulement les dossiers en retard.")
    ] = False,
    show_all: Annotated[bool, typer.Option("--all", help="Inclure les dossiers clôturés.")] = False,
    phase: Annotated[
        str | None,
        typer.Option(
            help="Filtrer par phase : orientation-recue, diagnostic, accompagnement ou cloture."
        ),
    ] = None,
    referent: Annotated[
        str | None,
        typer.Option(help="Filtrer par référent(e) : le nom, ou une partie (« karim »)."),
    ] = None,
    today_text: Annotated[
        str | None,
        typer.Option(
            "--today",
            help="Voir les dossiers tels qu'ils étaient ce jour-là, échéances comprises "
            "(par défaut aujourd'hui).",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Dossiers ouverts, les plus urgents d'abord ; --overdue : seulement ceux en retard."""
    from visites import matching
    from visites.phases import Phase
    from visites.render.terminal import print_problems
    from visites.status import status_rows

    reference = day(today_text, "--today", today())
    wanted = None if phase is None else listed("--phase", matching.phase, phase)
    target = folder(ctx)
    closed = show_all or wanted is Phase.CLOSED
    if today_text is None:
        summaries, problems = target.summaries(closed=closed)
    else:  # a case closed after that day was still open on it
        touching = None if closed else range(reference.year, 10_000)
        summaries, problems = target.summaries(closed=True, years=touching)
        summaries = _as_of(target, summaries, reference)
    print_problems([p for p in problems if p.is_error], brief=True)
    named = None
    if referent is not None:  # a part of a name, or a name typed without its accents
        held = {n for s in summaries for n in (s.referent, *(h.name for h in s.handovers)) if n}
        named = referents_named(target, referent, held)
        referent = named[0] if len(named) == 1 else referent  # as the list writes it
    rows = status_rows(
        summaries,
        reference,
        overdue_only=overdue,
        include_closed=show_all,
        phase=wanted,
        referents=named,
    )
    if as_json:
        print_json([r.as_json() for r in rows])
        return
    from visites.render.terminal import print_status

    title = _title(overdue, show_all, wanted)
    print_status(rows, reference, title, referent=referent)
    _to_fill(target, reference, referent)


def _title(overdue: bool, show_all: bool, wanted: "Phase | None") -> str:
    """The table's title says what was asked: `--phase cloture` lists closed cases, so it
    cannot be titled « Dossiers ouverts »."""
    from visites.vocabulary import PHASE_LABELS

    shown = "Dossiers en retard" if overdue else None
    if wanted is not None:
        return f"{shown or 'Dossiers'} en phase « {PHASE_LABELS[wanted]} »"
    return shown or ("Tous les dossiers" if show_all else "Dossiers ouverts")


def _to_fill(target: "Folder", reference: "date", referent: str | None) -> None:
    """The appointments « à renseigner » on that day (read in the same pass as the rows)."""
    from datetime import timedelta

    from visites.agenda import PLANNED, to_fill
    from visites.render.agenda import print_to_fill

    pending = target.agenda(None, reference - timedelta(days=1), PLANNED)
    print_to_fill(to_fill(pending, reference, referent))


def referents_named(target: "Folder", typed: str, in_cases: set[str]) -> list[str]:
    """The référent(e)s `--referent` names among those of the cases; else among those of
    visites.yaml too (read only then: a status from the index needs no settings). Used by
    `status` and `agenda`."""
    from visites import matching

    try:
        return matching.referents_named(typed, in_cases)
    except matching.Unmatched:
        known = in_cases | set(target.config.lists.referent_names())
        return listed("--referent", matching.referents_named, typed, known)


def _as_of(target: "Folder", summaries: "list[Summary]", day: "date") -> "list[Summary]":
    """The summaries as they stood on `day`: the cases with facts dated after it are read
    again (from the index) and cut at that day; those referred later are left out."""
    later = {s.id for s in summaries if s.latest > day}
    if not later:
        return summaries
    from visites.deadlines import as_of
    from visites.status import summarise

    cases = target.load_all(years=range(day.year, day.year + 1)).cases
    known = {c.id: as_of(c, day) for c in cases if c.id in later}
    cut = [summarise(c, target.config) for c in known.values() if c is not None]
    return [*(s for s in summaries if s.id not in later), *cut]  # status_rows sorts them


@app.command(epilog=examples("visites show 2015-002", "visites show 2015-002 --today 30/06/2015"))
def show(
    ctx: typer.Context,
    case_id: Annotated[
        str, typer.Argument(metavar="ID", help="Identifiant du dossier (ex. 2015-007).")
    ],
    today_text: Annotated[
        str | None, typer.Option("--today", help="Date de référence des échéances.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Afficher un dossier : identité, phase, échéances, diagnostic, orientation, événements."""
    from visites.dates import short
    from visites.deadlines import as_of, days_overdue, due
    from visites.errors import VisitesError

    reference = day(today_text, "--today", today())
    target = folder(ctx)
    stored = target.read(case_id).case
    case = as_of(stored, reference)  # with --today: the case as it stood that day
    if case is None:
        raise VisitesError(
            f"dossier {case_id} : orientation reçue le {short(stored.referral.date)}, "
            f"après le {short(reference)} : rien à montrer à cette date"
        )
    if as_json:
        deadline = due(case, target.config)
        print_json({
            "id": case.id,
            "phase": case.phase.value,
            "due": deadline.date.isoformat() if deadline else None,
            "days_overdue": days_overdue(deadline, reference),
            "case": case.model_dump(mode="json", exclude_none=True),
        })  # fmt: skip
        return
    from visites.render.terminal import print_case

    print_case(case, target.config, reference)


@app.command(epilog=examples("visites check", "visites check --json"))
def check(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Vérifier tout le dossier : chaque problème en « fichier:ligne: message »."""
    from visites.render.numbers import quantity
    from visites.render.terminal import print_problems
    from visites.services.folder import check as check_folder

    target = folder(ctx)
    problems = check_folder(target, today())
    errors = [p for p in problems if p.is_error]
    if as_json:
        print_json([
            {"file": p.path, "line": p.line, "severity": p.severity, "message": p.message}
            for p in problems
        ])  # fmt: skip
    else:
        print_problems(problems, brief=False)
        count = len(target.case_ids())
        warnings = len(problems) - len(errors)
        verdict = "aucune erreur" if not errors else quantity(len(errors), "erreur")
        typer.echo(
            f"{quantity(count, 'dossier vérifié')} : {verdict}, "
            f"{quantity(warnings, 'avertissement')}.",
            err=bool(errors),
        )
    if errors:
        raise typer.Exit(1)
