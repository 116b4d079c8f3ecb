"""The baseline of bench/run.py: the smallest useful Typer app, one command with three options
that prints « ok ». Whatever `visites` costs beyond this is ours; this much is the stack's
(Python, typer, and the pydantic that typer 0.29 imports to coerce a parameter's value).

    python bench/trivial_app.py --name x --count 2 --verbose
"""

from typing import Annotated

import typer

app = typer.Typer(add_completion=False)


@app.command()
def main(
    name: Annotated[str, typer.Option(help="Un nom.")] = "monde",
    count: Annotated[int, typer.Option(help="Un nombre.")] = 1,
    verbose: Annotated[bool, typer.Option(help="Plus de détails.")] = False,
) -> None:
    """Afficher « ok »."""
    typer.echo("ok")


if __name__ == "__main__":
    app()
