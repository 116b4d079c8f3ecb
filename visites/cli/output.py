"""Shared by the report and export commands: read the whole folder, write a document file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from visites.errors import UsageProblem

if TYPE_CHECKING:
    from visites.errors import Problem
    from visites.model import Case
    from visites.store import Folder

SUFFIXES = {"md": ".md", "html": ".html", "csv": ".csv", "xlsx": ".xlsx"}


def readable_cases(target: Folder, years: range | None = None) -> list[Case]:
    """Every case that reads (only those touching `years`, when given: a case with no dated
    fact in those years cannot count in them); each broken file is named on stderr."""
    from visites.render.terminal import print_problems

    catalogue = target.load_all(years)
    print_problems([p for p in catalogue.problems if p.is_error], brief=True)
    return catalogue.cases


def every_case(target: Folder, what: str, years: range | None = None) -> list[Case]:
    """Every case (only those touching `years`, when given), for a document others read and
    count from (bilan, tableau de suivi, groupe pack): a file that fails to parse refuses it,
    one line per broken file, rather than a document short of a household that nobody sees.
    `what` names the document (« bilan non produit »)."""
    from visites.errors import IncompleteFolder

    catalogue = target.load_all(years)
    first: dict[str, Problem] = {}
    for problem in catalogue.problems:
        if problem.is_error:
            first.setdefault(problem.path, problem)
    if first:
        lines = []
        for path, problem in first.items():
            where = Path(path).name + (f":{problem.line}" if problem.line else "")
            lines.append(f"{what} : {where} illisible ({problem.message}) ; "
                         "il compterait un ménage de moins. Corrigez le fichier "
                         "(visites check) puis relancez")  # fmt: skip
        raise IncompleteFolder(lines)
    return catalogue.cases


def choose_format(given: str | None, output: Path | None, allowed: tuple[str, ...]) -> str | None:
    """The document format: --format, else the output file's suffix. A mismatch is refused,
    so that a `.yaml` (a case file) or a typo is never overwritten by a document."""
    if given is not None and given not in allowed:
        raise UsageProblem(f"--format « {given} » inconnu ; valeurs possibles : "
                           f"{', '.join(allowed)}")  # fmt: skip
    if output is None:
        return given
    suffix = output.suffix.lower()
    from_suffix = next((name for name in allowed if SUFFIXES[name] == suffix), None)
    if from_suffix is None:
        expected = ", ".join(SUFFIXES[name] for name in allowed)
        raise UsageProblem(f"--output {output} : extension attendue {expected}")
    if given is not None and given != from_suffix:
        raise UsageProblem(f"--output {output} ne correspond pas à --format {given}")
    return from_suffix


def write_document(output: Path, content: bytes) -> None:
    """Write the document whole or not at all (an unwritable place is a French error)."""
    from visites.store import atomic_write

    atomic_write(output, content)
    output.chmod(0o600)  # reports can hold case IDs and referents' names: private by default
