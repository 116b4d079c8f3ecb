"""The case folder as a shared history: a case's timeline, undo, sync with the team's remote,
safe hand edits, the merge driver and the pre-commit check.

The shell around `casediff` (pure) and `gitops` (the only module that runs git). The CLI
calls these; they never print and never prompt.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from visites import casefile, yamlio
from visites.errors import Problem, VisitesError
from visites.git import run as gitops
from visites.merge import casediff
from visites.services.committing import committing
from visites.services.sync import engine as syncing
from visites.services.sync import mergedriver
from visites.services.sync import report as syncreport
from visites.store import CASE_FILE, Folder, atomic_write, load_config, refuse_read_only


def _require_repo(folder: Folder) -> None:
    if not gitops.available():
        raise VisitesError("git n'est pas installé : pas d'historique ni de synchronisation")
    if not gitops.is_repo(folder.root):
        raise VisitesError(
            f"{folder.root} n'est pas un dépôt git : pas d'historique (un dossier créé par "
            "« visites init » l'est, là où git est installé ; sinon « git init »)"
        )


# ---------------------------------------------------------------------------- history


@dataclass(frozen=True)
class Step:
    """One commit in a case's life."""

    when: datetime
    author: str
    changes: list[str]
    by_visites: bool
    sha: str


def history(folder: Folder, case_id: str) -> list[Step]:
    """The case's commits, oldest first, each with what changed in the file (compared with
    the version before it in that commit's first parent)."""
    path = folder.path_of(case_id)
    _require_repo(folder)
    commits = gitops.log(folder.root, path)
    if not commits:
        raise VisitesError(f"dossier {case_id} : aucun historique (fichier jamais enregistré)")
    specs = []
    for commit in commits:
        specs.append(f"{commit.sha}:{commit.path}")
        specs.append(f"{commit.parents[0]}:{commit.path}" if commit.parents else "")
    contents = gitops.blobs(folder.root, specs)
    steps = []
    for index, commit in enumerate(commits):
        new, old = _tree(contents[2 * index]), _tree(contents[2 * index + 1])
        changes = casediff.describe(old, new) if new is not _UNREADABLE else []
        if new is _UNREADABLE:
            changes = ["version illisible (YAML invalide)"]
        elif old is _UNREADABLE:
            changes = ["fichier réparé"] + changes
        if not changes:
            changes = ["mise en forme ou commentaires (contenu inchangé)"]
        when = datetime.fromisoformat(commit.when)
        steps.append(Step(when, commit.author, changes, commit.action is not None, commit.sha))
    return steps[::-1]


_UNREADABLE: Any = object()


def _tree(raw: bytes | None) -> Any:
    if raw is None:
        return None
    try:
        return yamlio.load(yamlio.decode(raw))
    except yamlio.YamlProblem:
        return _UNREADABLE


# ---------------------------------------------------------------------------- undo


@dataclass(frozen=True)
class LastCommit:
    sha: str
    subject: str
    author: str
    when: datetime
    files: list[str]


def last_commit(folder: Folder) -> LastCommit:
    """The commit `undo` would revert. Refused when it was not made by visites (a merge, a
    hand commit), or when files have changes not yet committed."""
    _require_repo(folder)
    root = folder.root
    if gitops.merging(root):
        raise VisitesError(
            "fusion en cours : terminez-la (visites sync) ou abandonnez-la (visites sync "
            "--abort) avant « visites undo »"
        )
    if changed := gitops.dirty(root):
        raise VisitesError(
            f"modifications non enregistrées ({', '.join(changed[:3])}) : enregistrez-les "
            "(git commit) ou annulez-les (git restore) avant « visites undo »"
        )
    head = gitops.head(root)
    if head is None:
        raise VisitesError("aucun enregistrement à annuler")
    if head.action is None:
        raise VisitesError(
            f"le dernier enregistrement (« {head.subject} ») n'a pas été fait par visites "
            "(fusion ou commit manuel) : annulez-le avec git"
        )
    files = gitops.changed_files(root, head.sha)
    return LastCommit(head.sha, head.subject, head.author, datetime.fromisoformat(head.when), files)


def undo(folder: Folder, shown: LastCommit, by: str | None) -> None:
    """Revert `shown` with a new commit, if it is still the last one."""
    with folder.lock():
        current = last_commit(folder)
        if current.sha != shown.sha:
            raise VisitesError("le dossier a changé entre-temps : relancez « visites undo »")
        ids, _, what = shown.subject.partition(": ")
        subject = f"{ids}: annulation ({what or shown.subject})"
        gitops.revert(folder.root, shown.sha, subject, "undo",
                      by or os.environ.get("VISITES_USER") or None)  # fmt: skip


# ---------------------------------------------------------------------------- sync


def recover(folder: Folder) -> None:
    """Roll back the half-done merge a killed `visites sync` left, if any (under the
    folder's lock); for a command that reads a case before it takes the lock to write."""
    from visites.git import state as gitstate
    from visites.services.sync import recovery as syncrecovery

    if gitstate.sync_interrupted(folder.root):
        with folder.lock():
            syncrecovery.recover(folder)


def sync(
    folder: Folder, by: str | None, choices: syncreport.Choices | None = None
) -> syncreport.SyncReport:
    """Fetch and merge the team's remote, verify the result case by case, commit, push
    (see `syncing`). Stops before pushing on a conflict, an erasure against a change or an
    invalid file; after the user decides, a new `sync` concludes the merge and pushes."""
    _require_repo(folder)
    by = by or os.environ.get("VISITES_USER") or None
    return syncing.sync(folder, by, choices)


# ---------------------------------------------------------------------------- edit

ERRORS_START = "# --- visites : erreurs à corriger (ce bloc sera retiré à l'enregistrement) ---"
ERRORS_END = "# --- fin des erreurs ---"


def with_errors(text: str, problems: list[Problem]) -> str:
    """The user's text with the errors as comments on top; lines counted in the file as
    opened, so the editor's line numbers match."""
    lines = [p for p in problems if p.is_error]
    shift = len(lines) + 2
    block = [ERRORS_START]
    for problem in lines:
        where = f"ligne {problem.line + shift}" if problem.line else "fichier"
        block.append(f"# {where} : {problem.message}")
    block.append(ERRORS_END)
    return "\n".join(block) + "\n" + text


def without_errors(text: str) -> str:
    """The user's text without the block added by `with_errors` (if it is still on top)."""
    if not text.startswith(ERRORS_START):
        return text
    end = text.find(ERRORS_END + "\n")
    return text if end < 0 else text[end + len(ERRORS_END) + 1 :]


def edit_problems(folder: Folder, case_id: str, raw: bytes) -> list[Problem]:
    """What is wrong with an edited case file: schema, workflow order, conflicts."""
    parsed = casefile.parse(raw, folder.path_of(case_id).name, folder.config, expected_id=case_id)
    return parsed.problems if parsed.errors or parsed.case is None else []


def save_edit(folder: Folder, case_id: str, original: bytes, raw: bytes, by: str | None) -> None:
    """Replace the case file with the edited `raw` (valid), atomically, and commit it.
    Refused if the file changed on disk since the edit began."""
    path = folder.path_of(case_id)
    if edit_problems(folder, case_id, raw):
        raise VisitesError("modification invalide : rien n'a été écrit", path=path)
    refuse_read_only(path, case_id)  # a hand edit is a workflow write
    with committing(folder, by) as change:
        try:
            current = path.read_bytes()
        except OSError:
            current = None
        if current != original:
            raise VisitesError(
                f"dossier {case_id} modifié par une autre commande pendant l'édition : "
                "rien n'a été écrit", path=path
            )  # fmt: skip
        atomic_write(path, raw)
        folder.record(path)
        change.action, change.label = "edit", "modification manuelle"


# ---------------------------------------------------------------------------- merge driver


def merge_file(base: Path, ours: Path, theirs: Path) -> mergedriver.FileMerge:
    """Three-way merge of one case file into OURS (git's merge-driver contract)."""
    return mergedriver.merge_file(base, ours, theirs)


# ---------------------------------------------------------------------------- pre-commit


def staged_problems(root: Path) -> list[Problem]:
    """The errors of the case files about to be committed, read from git's index."""
    names = gitops.staged_case_files(root, CASE_FILE.pattern)
    config = load_config(root)
    problems: list[Problem] = []
    for name, raw in zip(names, gitops.blobs(root, [f":{n}" for n in names]), strict=True):
        if raw is None:
            continue
        expected = CASE_FILE.fullmatch(Path(name).name)
        parsed = casefile.parse(raw, name, config, expected.group(1) if expected else None)
        problems += parsed.errors
    return problems
