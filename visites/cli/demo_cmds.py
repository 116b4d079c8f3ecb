"""`visites demo`: a fictional case folder, for trying the tool and for the benchmarks."""

from pathlib import Path
from typing import Annotated

import typer

from visites.cli.app import app, day, examples


@app.command(
    epilog=examples(
        "visites demo /tmp/demo --households 55",
        "visites demo /tmp/demo --households 1000 --seed 1 --years 2015-2026",
    )
)
def demo(
    directory: Annotated[
        Path, typer.Argument(metavar="DOSSIER", help="Dossier à créer (nouveau ou vide).")
    ],
    households: Annotated[
        int, typer.Option("--households", help="Nombre de ménages fictifs.", min=1, max=1_000_000)
    ],
    seed: Annotated[int, typer.Option(help="Graine : même graine, mêmes dossiers.")] = 1,
    years: Annotated[
        str, typer.Option(help="Années des orientations reçues (ex. 2015-2026).")
    ] = "2015-2026",
    today_text: Annotated[
        str | None,
        typer.Option(
            "--today",
            help="Jour où s'arrête l'histoire des dossiers (par défaut le 31/12 de la "
            "dernière année).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Créer un dossier de démonstration : ménages fictifs, toutes les phases, des retards."""
    from datetime import date

    from visites import demo as generator
    from visites.render.numbers import quantity
    from visites.services.committing import committing
    from visites.services.folder import init_folder
    from visites.store import Folder

    first, last = generator.parse_years(years)
    reference = day(today_text, "--today", date(last, 12, 31))
    created = init_folder(directory, referents=generator.REFERENTS)
    target = Folder(created)
    count = 0
    with committing(target) as change:  # one commit for the whole folder
        for case in generator.households(households, seed, first, last, target.config, reference):
            target.create(case, change)
            count += 1
        change.action, change.label = "demo", "dossier de démonstration"
    typer.echo(f"{quantity(count, 'dossier fictif créé')} dans {created} (situation au "
               f"{reference.strftime('%d/%m/%Y')}).")  # fmt: skip
    typer.echo(f"Pour voir les retards : visites --cases {created} status --overdue "
               f"--today {reference.isoformat()}")  # fmt: skip
