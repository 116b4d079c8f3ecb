"""Commands over the whole folder: init, status, show, check."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from visites.cli.app import JsonOption, app, day, folder, print_json, today


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="Dossier à créer (ou dossier vide existant).")],
) -> None:
    """Créer un dossier de cas : visites.yaml commenté et un LISEZMOI."""
    from visites import service

    created = service.init_folder(directory)
    typer.echo(f"Dossier de cas prêt : {created}")
    if (created / ".git").is_dir():
        typer.echo("Dépôt git créé : chaque modification sera enregistrée (visites history).")
    typer.echo(f"Réglages : {created / 'visites.yaml'} (à relire : budgets, référent(e)s).")
    typer.echo(f"Pour l'utiliser : cd {created} ou visites --cases {created} status")


@app.command()
def status(
    ctx: typer.Context,
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Seulement les dossiers en retard.")
    ] = False,
    show_all: Annotated[bool, typer.Option("--all", help="Inclure les dossiers clôturés.")] = False,
    phase: Annotated[
        str | None,
        typer.Option(
            help="Filtrer par phase (orientation-recue, diagnostic, accompagnement, cloture)."
        ),
    ] = None,
    referent: Annotated[str | None, typer.Option(help="Filtrer par référent(e).")] = None,
    today_text: Annotated[
        str | None,
        typer.Option("--today", help="Date de référence des échéances (par défaut aujourd'hui)."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Dossiers ouverts, les plus urgents d'abord ; --overdue : seulement ceux en retard."""
    from visites.errors import UsageProblem
    from visites.render.terminal import print_problems
    from visites.status import PHASE_NAMES, status_rows

    reference = day(today_text, "--today", today())
    wanted = None
    if phase is not None:
        wanted = PHASE_NAMES.get(phase)
        if wanted is None:
            raise UsageProblem(
                f"--phase « {phase} » inconnue ; valeurs possibles : "
                "orientation-recue, diagnostic, accompagnement, cloture"
            )
    target = folder(ctx)
    catalogue = target.load_all()
    print_problems([p for p in catalogue.problems if p.is_error], brief=True)
    rows = status_rows(
        catalogue.cases,
        target.config,
        reference,
        overdue_only=overdue,
        include_closed=show_all,
        phase=wanted,
        referent=referent,
    )
    if as_json:
        print_json([r.as_json() for r in rows])
        return
    from visites.render.terminal import print_status

    title = (
        "Dossiers en retard"
        if overdue
        else ("Tous les dossiers" if show_all else "Dossiers ouverts")
    )
    print_status(rows, reference, title)


@app.command()
def show(
    ctx: typer.Context,
    case_id: Annotated[str, typer.Argument(help="Identifiant du dossier (ex. 2015-007).")],
    today_text: Annotated[
        str | None, typer.Option("--today", help="Date de référence des échéances.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Afficher un dossier : identité, phase, échéances, diagnostic, orientation, événements."""
    from visites.workflow import days_overdue, due

    reference = day(today_text, "--today", today())
    target = folder(ctx)
    case = target.read(case_id).case
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


@app.command()
def check(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Vérifier tout le dossier : chaque problème en « fichier:ligne: message »."""
    from visites import service
    from visites.render.terminal import print_problems

    target = folder(ctx)
    problems = service.check(target)
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
        verdict = "aucune erreur" if not errors else f"{len(errors)} erreur(s)"
        typer.echo(
            f"{count} dossier(s) vérifié(s) : {verdict}, {warnings} avertissement(s).",
            err=bool(errors),
        )
    if errors:
        raise typer.Exit(1)
