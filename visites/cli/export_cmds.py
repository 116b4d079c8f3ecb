"""`visites export`: the tableau de suivi for the landlord, or one household's whole file
(its right of access)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from visites.cli.app import app, day, examples, folder, today

EXPORT_TARGETS = ("suivi",)
SUIVI_FORMATS = ("csv", "xlsx")


@app.command(
    short_help="Tableau de suivi pour le bailleur, ou tout un dossier",
    epilog=examples(
        "visites export suivi --year 2015 --output suivi.xlsx",
        "visites export 2015-002 --output acces-2015-002.html",
    ),
)
def export(
    ctx: typer.Context,
    target: Annotated[
        str,
        typer.Argument(
            metavar="suivi|ID",
            help="suivi : le tableau de suivi partagé avec le bailleur ; ou un identifiant de "
            "dossier (ex. 2015-007) : tout le dossier du ménage (droit d'accès, .md ou .html).",
            show_default=False,
        ),
    ],  # fmt: skip
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            help="Fichier à écrire (.csv/.xlsx ; .md/.html pour un dossier).",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            help="csv ou xlsx (sinon d'après l'extension de --output).",
            show_default=False,
        ),
    ] = None,  # fmt: skip
    year: Annotated[
        int | None,
        typer.Option(
            "--year", help="Seulement les dossiers ouverts pendant cette année.", show_default=False
        ),
    ] = None,  # fmt: skip
    today_text: Annotated[
        str | None,
        typer.Option(
            "--today", help="Date de référence des échéances et retards.", show_default=False
        ),
    ] = None,  # fmt: skip
) -> None:
    """Exporter le tableau de suivi (rien de confidentiel) ou tout un dossier (droit d'accès)."""
    from visites.errors import UsageProblem
    from visites.model import CASE_ID

    if CASE_ID.fullmatch(target):
        from visites.cli.privacy_cmds import export_case

        if output is None:
            raise UsageProblem(f"export {target} : --output FICHIER.md ou FICHIER.html manquant")
        export_case(ctx, target, output, day(today_text, "--today", today()))
        return
    if target != "suivi":
        raise UsageProblem(f"export : cible inconnue « {target} » ; valeurs possibles : "
                           f"{', '.join(EXPORT_TARGETS)} ou un identifiant de dossier")  # fmt: skip
    if output is None:
        raise UsageProblem("export suivi : --output FICHIER.csv ou FICHIER.xlsx manquant")
    _export_suivi(ctx, output, fmt, year, day(today_text, "--today", today()))


def _export_suivi(
    ctx: typer.Context, output: Path, fmt: str | None, year: int | None, reference: object
) -> None:
    from datetime import date

    from visites.cli.output import choose_format, every_case, write_document
    from visites.tracking import suivi_rows

    assert isinstance(reference, date)
    chosen = choose_format(fmt, output, SUIVI_FORMATS)
    source = folder(ctx)
    cases = every_case(source, "tableau de suivi non produit")
    rows = suivi_rows(cases, source.config, reference, year)
    if chosen == "csv":
        from visites.render.csv import suivi_csv

        content = suivi_csv(rows)
    else:
        from visites.render.xlsx import suivi_xlsx

        heading = f"{source.config.programme} — tableau de suivi au {reference:%d/%m/%Y}"
        content = suivi_xlsx(rows, heading=heading)
    from visites.render.numbers import quantity

    write_document(output, content)
    missing = sum(1 for r in rows if r["consent_to_share"] == "non recueilli")
    typer.echo(f"Tableau de suivi écrit : {output} ({quantity(len(rows), 'dossier')}).")
    convention = source.config.convention
    if missing and convention.tracking_without_consent:
        typer.echo(f"Attention : {quantity(missing, 'ménage')} sans accord d'échanges avec le "
                   f"bailleur : toutes leurs colonnes figurent, en vertu de « {convention.name} » "
                   "(visites.yaml, convention).", err=True)  # fmt: skip
    elif missing:
        typer.echo(f"{quantity(missing, 'ménage')} sans accord d'échanges avec le bailleur : "
                   "pour eux, le tableau ne montre que ce que le bailleur sait déjà (orientation, "
                   "mesure, issue et délais : « accord non recueilli »).", err=True)  # fmt: skip
