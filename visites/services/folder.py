"""New values of the open lists (communes, référent(e)s) written into visites.yaml, in the
commit of the command that brought them (`new-referral --new-commune`, `--from`).

The settings file is patched, not rewritten (`yamlwrite.add_to_list`): its comments and its
layout survive, and `git diff` shows the one line of the list. The closed lists (problem
domains, measures, outcomes…) are never extended here: only by editing visites.yaml.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence

from visites.errors import InvalidFile, Problem, VisitesError
from visites.paths import SETTINGS_FILE
from visites.store import Folder


@contextlib.contextmanager
def extended_lists(folder: Folder, additions: Sequence[tuple[str, str]]) -> Iterator[None]:
    """Add new values to the open lists of visites.yaml (`[("communes", "Bouaye")]`) for the
    block, inside `committing` (one commit with the case): comments and layout survive
    (`yamlwrite.add_to_list`). When the block fails, the settings file is put back."""
    if not additions:
        yield
        return
    from visites import yamlio, yamlwrite
    from visites.config import Lists
    from visites.store import atomic_write

    path = folder.root / SETTINGS_FILE
    try:
        original = path.read_bytes()
    except FileNotFoundError:
        raise VisitesError(
            f"pas de visites.yaml dans {folder.root} : créez les réglages (visites init "
            f"{folder.root}) avant d'y ajouter une valeur"
        ) from None
    text = yamlio.decode(original)
    defaults = {"communes": Lists().communes, "referents": ()}
    try:
        for key, value in dict.fromkeys(additions):
            text = yamlwrite.add_to_list(text, ("listes", key), value, defaults[key])
    except yamlio.YamlProblem as problem:
        raise InvalidFile([Problem(str(path), problem.line, problem.message)]) from None
    atomic_write(path, text.encode("utf-8"))
    folder.__dict__.pop("config", None)  # read again, with the new values
    try:
        yield
    except BaseException:
        atomic_write(path, original)
        folder.__dict__.pop("config", None)
        raise
    folder.record(path)
