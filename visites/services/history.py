"""The case folder as a shared history: a case's timeline, undo, safe hand edits and the
pre-commit check (sync with the team's remote is `services.sync`).

The shell around `casediff` (pure) and the git room. The CLI calls these; they never print
and never prompt.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from visites import casefile, environment, yamlio
from visites.errors import Problem, VisitesError
from visites.git import history as githistory
from visites.git import run as gitops
from visites.merge import casediff
from visites.services.committing import committing
from visites.store import CASE_FILE, Folder, load_config, refuse_read_only

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
    gitops.require_repo(folder.root)
    commits = githistory.log(folder.root, path)
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
    gitops.require_repo(folder.root)
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
    head = githistory.head(root)
    if head is None:
        raise VisitesError("aucun enregistrement à annuler")
    if head.action is None:
        raise VisitesError(
            f"le dernier enregistrement (« {head.subject} ») n'a pas été fait par visites "
            "(fusion ou commit manuel) : annulez-le avec git"
        )
    files = githistory.changed_files(root, head.sha)
    _refuse_synced_erasure(root, head, files)
    return LastCommit(head.sha, head.subject, head.author, datetime.fromisoformat(head.when), files)


def _refuse_synced_erasure(root: Path, head: githistory.Commit, files: list[str]) -> None:
    """An erasure (the commit adds tombstones to the registry) the team already has, sent
    from here or received from a colleague, is never reverted: the revert would bring the
    household's data back on every clone. An erasure not yet sent can still be undone."""
    from visites.dates import short
    from visites.git import merge as gitmerge
    from visites.merge import registry

    if registry.REGISTRY_FILE not in files:
        return
    name = registry.REGISTRY_FILE
    before, after = gitops.blobs(
        root, [f"{head.sha}^:{name}" if head.parents else "", f"{head.sha}:{name}"]
    )
    added = set(registry.parse((after or b"").decode("utf-8", "replace")).tombstones)
    added -= set(registry.parse((before or b"").decode("utf-8", "replace")).tombstones)
    if not added or not gitmerge.on_remote(root, head.sha):
        return
    stone = min(added, key=lambda t: t.key)
    what = "la suppression" if stone.kind == registry.DELETED else "l'anonymisation"
    raise VisitesError(
        f"dossier {stone.case_id} ({stone.case_id}.yaml) : {what} du {short(stone.on)} est "
        "déjà synchronisée avec l'équipe et « visites undo » ne l'annule pas (un effacement "
        "reste effacé) ; rien n'a été changé"
    )


def undo_subject(subject: str) -> str:
    """The subject of the commit undoing one with `subject`: « 2015-003: annulation
    (adhésion) » for a command on named cases, « annulation : transfert de 12 dossiers » for
    one whose subject names no case (a caseload moved at once)."""
    ids, found, what = subject.partition(": ")
    return f"{ids}: annulation ({what or subject})" if found else f"annulation : {subject}"


def undo(folder: Folder, shown: LastCommit, by: str | None) -> None:
    """Revert `shown` with a new commit, if it is still the last one."""
    with folder.lock():
        current = last_commit(folder)
        if current.sha != shown.sha:
            raise VisitesError("le dossier a changé entre-temps : relancez « visites undo »")
        subject = undo_subject(shown.subject)
        githistory.revert(folder.root, shown.sha, subject, "undo",
                      environment.acting_user(by))  # fmt: skip


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
        folder.replace(case_id, raw, change)
        change.action, change.label = "edit", "modification manuelle"


# ---------------------------------------------------------------------------- pre-commit


def staged_problems(root: Path) -> list[Problem]:
    """The errors of the case files about to be committed, read from git's index."""
    names = githistory.staged_case_files(root, CASE_FILE.pattern)
    config = load_config(root)
    problems: list[Problem] = []
    for name, raw in zip(names, gitops.blobs(root, [f":{n}" for n in names]), strict=True):
        if raw is None:
            continue
        expected = CASE_FILE.fullmatch(Path(name).name)
        parsed = casefile.parse(raw, name, config, expected.group(1) if expected else None)
        problems += parsed.errors
    return problems
