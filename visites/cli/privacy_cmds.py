"""Data protection commands: consent to share, retention, anonymisation, erasure, access.

Output names cases by ID only (never a household's name): these lines end up in terminals
shared with colleagues, in cron mails and in logs.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from visites.cli.app import (
    DateOption,
    JsonOption,
    app,
    day,
    examples,
    fact_day,
    folder,
    print_json,
    today,
)

if TYPE_CHECKING:
    from visites.store import Folder

TodayOption = Annotated[
    str | None,
    typer.Option("--today", help="Date de référence (AAAA-MM-JJ ou JJ/MM/AAAA) ; par défaut "
                 "aujourd'hui.", show_default=False),
]  # fmt: skip
YesOption = Annotated[bool, typer.Option("--yes", "-y", help="Ne pas demander de confirmation.")]


def _confirmed(question: str, yes: bool) -> None:
    """Ask before an irreversible change; without a terminal, only --yes may confirm."""
    from visites.cli import asking

    asking.confirmed(question, yes)


def erasure_warnings(target: Folder, warnings: list[str]) -> None:
    """What the erasure did despite a file mode, could not reach, or cannot vouch for."""
    from visites.services.privacy import foreign_warning

    if foreign := foreign_warning(target.root):
        warnings.append(foreign)
    for warning in warnings:
        typer.echo(f"avertissement : {warning}", err=True)


def history_reminder(target: Folder, case_ids: list[str], what: str) -> None:
    """The copies the tool cannot reach: git history, clones, backups."""
    from visites.services.privacy import history_path

    paths = [history_path(target, case_id) for case_id in case_ids]
    options = " ".join(f"--path {path}" for path in paths)
    typer.echo(
        f"Rappel : si le dossier de cas est suivi par git, son historique garde les versions "
        f"{what} de {', '.join(paths)}, avec leurs données personnelles. Pour les effacer "
        f"aussi, dans le dépôt : git filter-repo --invert-paths {options}\n"
        "puis git push --force, et demandez à chaque poste qui en a un clone de le recloner. "
        "Pensez aussi aux sauvegardes."
    )


@app.command(
    short_help="Accord du ménage pour les échanges avec le bailleur",
    epilog=examples(
        "visites share 2015-005 --date 02/04/2015", "visites share 2015-005 --withdraw"
    ),
)
def share(
    ctx: typer.Context,
    case_id: Annotated[
        str, typer.Argument(metavar="ID", help="Identifiant du dossier (ex. 2015-007).")
    ],
    date: DateOption = None,
    withdraw: Annotated[
        bool, typer.Option("--withdraw", help="Le ménage retire son accord.")
    ] = False,
) -> None:
    """Enregistrer l'accord du ménage pour les échanges entre bailleur et association,
    donné après l'adhésion (ou son retrait, avec --withdraw)."""
    from visites import dates
    from visites.services import cases
    from visites.workflow import Share

    if withdraw:
        cases.move(folder(ctx), case_id, Share(date=None), today())
        typer.echo(f"Dossier {case_id} : accord d'échanges avec le bailleur retiré.")
        return
    when = fact_day(date, "--date", today())
    cases.move(folder(ctx), case_id, Share(date=when), today())
    typer.echo(f"Dossier {case_id} : accord d'échanges avec le bailleur le {dates.short(when)}.")


@app.command(
    short_help="Dossiers dont la durée de conservation est échue",
    epilog=examples("visites retention", "visites retention --today 01/03/2017 --json"),
)
def retention(
    ctx: typer.Context, today_text: TodayOption = None, as_json: JsonOption = False
) -> None:
    """Dossiers clôturés dont le dernier contact dépasse la durée de conservation."""
    from visites import dates
    from visites.privacy import retention_due
    from visites.render.numbers import quantity
    from visites.render.terminal import print_problems

    reference = day(today_text, "--today", today())
    target = folder(ctx)
    catalogue = target.load_all()
    print_problems([p for p in catalogue.problems if p.is_error], brief=True)
    due = retention_due(catalogue.cases, target.config, reference)
    if as_json:
        print_json([
            {"id": e.case.id, "closed_on": e.case.closed_on, "last_contact": e.last_contact,
             "expired_on": e.expired_on}
            for e in due
        ])  # fmt: skip
        return
    years = quantity(target.config.retention.years_after_last_contact, "an")
    if not due:
        typer.echo(f"Aucun dossier à anonymiser ou supprimer au {dates.short(reference)} "
                   f"(conservation : {years} après le dernier contact).")  # fmt: skip
        return
    from rich.table import Table

    from visites.render.terminal import console

    table = Table(
        title=f"Durée de conservation dépassée au {dates.short(reference)} ({years} après "
        "le dernier contact)",
        title_justify="left",
    )
    for header in ("Dossier", "Clôturé le", "Dernier contact", "Conservation jusqu'au"):
        table.add_column(header, no_wrap=True)
    for e in due:
        closed = dates.short(e.case.closed_on)
        table.add_row(e.case.id, closed, dates.short(e.last_contact), dates.short(e.expired_on))
    out = console()
    out.print(table)
    out.print(f"{quantity(len(due), 'dossier')}. Pour les anonymiser : visites anonymise --due"
              f"{'' if today_text is None else ' --today ' + reference.isoformat()}")  # fmt: skip


@app.command(epilog=examples("visites anonymise --due", "visites anonymise 2015-007 --yes"))
def anonymise(
    ctx: typer.Context,
    case_ids: Annotated[
        list[str] | None,
        typer.Argument(metavar="ID", help="Dossiers à anonymiser (ex. 2015-007)."),
    ] = None,
    due: Annotated[
        bool, typer.Option("--due", help="Tous les dossiers dont la conservation est échue.")
    ] = False,
    today_text: TodayOption = None,
    yes: YesOption = False,
) -> None:
    """Anonymiser des dossiers clôturés : noms, coordonnées et notes effacés, statistiques
    conservées (le bilan ne change pas)."""
    from visites import privacy
    from visites.errors import UsageProblem
    from visites.render.numbers import plural, quantity
    from visites.services import privacy as protection

    reference = day(today_text, "--today", today())
    target = folder(ctx)
    if bool(case_ids) == due:
        raise UsageProblem("indiquez des identifiants de dossier ou --due (pas les deux)")
    if due:
        catalogue = target.load_all()
        ids = [e.case.id for e in privacy.retention_due(catalogue.cases, target.config, reference)]
        if not ids:
            typer.echo("Aucun dossier dont la durée de conservation est échue.")
            return
    else:
        ids = [c.id for c in protection.anonymisable(target, list(case_ids or []))]
    typer.echo(f"{plural(len(ids), 'Dossier')} à anonymiser : {', '.join(ids)}")
    _confirmed(
        "Effacer définitivement les noms, coordonnées et notes de "
        f"{quantity(len(ids), 'dossier')} ? "
        "Les dates, orientations et issues restent pour les statistiques.",
        yes,
    )
    warnings: list[str] = []
    # A whole-folder erasure also rewrites the whole index (VACUUM): no free page is left.
    done = protection.anonymise(target, ids, reference, warnings, compact=due)
    for case_id in done:
        typer.echo(f"Dossier {case_id} : anonymisé.")
    erasure_warnings(target, warnings)
    history_reminder(target, done, "précédentes")


@app.command(
    short_help="Supprimer un dossier (droit à l'effacement)",
    epilog=examples("visites delete 2015-004"),
)
def delete(
    ctx: typer.Context,
    case_id: Annotated[
        str, typer.Argument(metavar="ID", help="Dossier à supprimer (ex. 2015-007).")
    ],
    yes: YesOption = False,
) -> None:
    """Supprimer un dossier (droit à l'effacement), après confirmation."""
    from visites.errors import VisitesError
    from visites.services import privacy as protection

    target = folder(ctx)
    if not target.path_of(case_id).is_file():
        raise VisitesError(
            f"dossier {case_id} introuvable dans {target.root} (voir « visites status --all »)"
        )
    _confirmed(f"Supprimer définitivement le dossier {case_id} ?", yes)
    warnings: list[str] = []
    protection.delete(target, case_id, warnings)
    typer.echo(f"Dossier {case_id} supprimé.")
    erasure_warnings(target, warnings)
    history_reminder(target, [case_id], "antérieures")


def export_case(ctx: typer.Context, case_id: str, output: Path, reference: date) -> None:
    """`visites export ID --output FILE.md|FILE.html`: the household's whole file (right of
    access). Called by the `export` command, which also exports the tracking table."""
    from visites.services import privacy as protection

    written = protection.export_case(folder(ctx), case_id, output, reference)
    typer.echo(f"Dossier {case_id} : document d'accès écrit dans {written}.")
