"""Git, run as a program (`git -C root …`, never through a shell). The only module that runs
git (the git room's other modules call `git` and `out` here): set-up, commits, git's objects.

A case folder is "under git" when it is the top of a work tree (it holds `.git`): a folder
that merely sits inside some other repository (a home directory kept in git) is never
committed into. Without git installed, or outside a repository, every function here is a
quiet no-op or says so, and the folder works without history.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

from visites.errors import VisitesError

TRAILER = "Visites-Action"
NEUTRAL_NAME = "visites"
NEUTRAL_EMAIL = "visites@localhost"
HOOK_MARK = "# installé par visites"
DRIVER = "visites"
REGISTRY_ATTRIBUTE = "registre.yaml merge=union"  # registry.ATTRIBUTE, without importing it
ATTRIBUTES = (
    "# Fusion des dossiers par visites (champ par champ, événements triés par date).\n"
    "[0-9][0-9][0-9][0-9]-*.yaml merge=visites\n"
    "# Registre des numéros effacés : les lignes ajoutées des deux côtés sont toutes gardées.\n"
    f"{REGISTRY_ATTRIBUTE}\n"
)


class GitFailed(VisitesError):
    """Git refused or failed; the message carries its last line of explanation."""


# ---------------------------------------------------------------------------- running git


# What git creates (the repository, checked-out and merged case files) is private to the user,
# whatever the user's umask: 0700 folders, 0600 files.
PRIVATE: dict[str, int] = {"umask": 0o077} if os.name == "posix" else {}


def available() -> bool:
    return shutil.which("git") is not None


def is_repo(root: Path) -> bool:
    """The folder is the top of a git work tree (and git is installed)."""
    return (root / ".git").exists() and available()


def require_repo(root: Path) -> None:
    """Refuse (a French VisitesError) a command that needs the history where there is none."""
    if not available():
        raise VisitesError("git n'est pas installé : pas d'historique ni de synchronisation")
    if not is_repo(root):
        raise VisitesError(
            f"{root} n'est pas un dépôt git : pas d'historique (un dossier créé par "
            "« visites init » l'est, là où git est installé ; sinon « git init »)"
        )


def git(root: Path, *args: str, check: bool = True, env: dict[str, str] | None = None,
        stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:  # fmt: skip
    """Run `git -C root args…`, output in English (we parse it) and captured."""
    full_env = {**os.environ, "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0", **(env or {})}
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, env=full_env, input=stdin,
            check=False, **PRIVATE,
        )  # fmt: skip
    except FileNotFoundError:
        raise GitFailed("git n'est pas installé sur cette machine") from None
    if check and done.returncode != 0:
        raise GitFailed(f"git {args[0]} a échoué : {last_line(done)}")
    return done


def last_line(done: subprocess.CompletedProcess[bytes]) -> str:
    text = (done.stderr or done.stdout or b"").decode("utf-8", "replace").strip()
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("hint:")]
    return lines[-1] if lines else f"code {done.returncode}"


def out(root: Path, *args: str) -> str:
    return git(root, *args).stdout.decode("utf-8", "replace")


# ---------------------------------------------------------------------------- identity


def identity(root: Path, by: str | None) -> dict[str, str]:
    """Environment naming who commits. `by` (--by, $VISITES_USER) wins; else git's own
    configuration; else a neutral identity, so a fresh laptop never blocks a command."""
    if by:
        return _named(by)
    return {} if _configured(root) else _named(NEUTRAL_NAME)


def _named(name: str) -> dict[str, str]:
    return {"GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": NEUTRAL_EMAIL,
            "GIT_COMMITTER_NAME": name, "GIT_COMMITTER_EMAIL": NEUTRAL_EMAIL}  # fmt: skip


def _configured(root: Path) -> bool:
    if os.environ.get("GIT_AUTHOR_NAME") and os.environ.get("GIT_AUTHOR_EMAIL"):
        return True
    found = git(root, "config", "--get-regexp", r"^user\.(name|email)$", check=False)
    keys = {line.split()[0] for line in found.stdout.decode("utf-8", "replace").splitlines()}
    return {"user.name", "user.email"} <= keys


# ---------------------------------------------------------------------------- setting up


def command_line() -> str:
    """How git calls visites back (merge driver, hook): this very interpreter, so that a
    virtual environment that is not on PATH works."""
    return f"{shlex.quote(sys.executable)} -m visites"


def init_repo(root: Path) -> None:
    """Make `root` a repository with the merge driver and the pre-commit hook."""
    git(root, "init", "-q")
    ensure_setup(root)


def ensure_setup(root: Path) -> None:
    """(Re)install what a clone does not carry: the driver in .git/config, the hook. Cheap
    when already there (one file read), so every writing command can call it."""
    git_dir = root / ".git"
    if not git_dir.is_dir():  # a worktree or submodule: leave its configuration alone
        return
    driver = f"{shlex.quote(sys.executable)} -m visites.services.sync.mergedriver %O %A %B %P"
    try:
        config = (git_dir / "config").read_text(encoding="utf-8", errors="replace")
    except OSError:
        config = ""
    if f"driver = {driver}" not in config:
        git(root, "config", f"merge.{DRIVER}.name", "fusion des dossiers visites")
        git(root, "config", f"merge.{DRIVER}.driver", driver)
    hook = git_dir / "hooks" / "pre-commit"
    script = (
        f"#!/bin/sh\n{HOOK_MARK} : refuse un dossier de cas invalide (visites check)\n"
        f"exec {command_line()} pre-commit-check\n"
    )
    try:
        current = hook.read_text(encoding="utf-8", errors="replace")
    except OSError:
        current = None
    if current == script or (current is not None and HOOK_MARK not in current):
        return  # ours and current, or the user's own hook: never overwritten
    hook.parent.mkdir(parents=True, exist_ok=True)
    hook.write_text(script, encoding="utf-8")
    hook.chmod(0o700)


def first_commit(root: Path, paths: list[Path]) -> None:
    git(root, "add", "--", *(os.path.abspath(p) for p in paths))
    git(root, "commit", "-q", "--no-verify", "-m", "création du dossier de cas",
        env=identity(root, None))  # fmt: skip


# ---------------------------------------------------------------------------- committing


def merging(root: Path) -> bool:
    return (root / ".git" / "MERGE_HEAD").exists()


class CommitFailed(GitFailed):
    """A commit git refused after the files were written; `reason` says why, in French."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"enregistrement git impossible : {reason}")
        self.reason = reason


def commit(root: Path, paths: list[Path], subject: str, action: str, by: str | None) -> bool:
    """Commit exactly `paths` (new, changed or deleted) with `subject` and the visites
    trailer; other staged or changed files stay out. False when nothing was committed.

    The commit is first noted as pending (gitstate): if git fails (CommitFailed, saying
    why) or the command is killed, or a merge is in progress, the next successful commit of
    visites (or `sync`) makes it. Commits still pending from earlier commands go first."""
    if not paths or not is_repo(root):
        return False
    from visites.git import state as gitstate

    top = os.path.abspath(root)
    names = tuple(os.path.relpath(os.path.abspath(p), top) for p in dict.fromkeys(paths))
    noted = gitstate.add_pending(root, gitstate.Pending(names, subject, action, by))
    if merging(root):
        if not noted:
            raise CommitFailed(failure_reason(root, None))
        return False  # `sync` concludes the merge with everything pending
    made = commit_pending(root)
    if not noted:  # nowhere to note it: commit it now, or say why git could not
        return _commit_paths(root, [os.path.join(top, n) for n in names], subject, action, by)
    return made


def commit_pending(root: Path) -> bool:
    """Make the commits visites still owes, oldest first. True when at least one was made.
    CommitFailed when git refuses; what is not yet committed stays pending."""
    from visites.git import state as gitstate

    entries = gitstate.pending(root)
    if not entries:
        return False
    clear_abandoned_locks(root)
    ensure_setup(root)
    made = False
    top = os.path.abspath(root)
    for done, entry in enumerate(entries):
        paths = [os.path.join(top, name) for name in entry.paths]
        made |= _commit_paths(root, paths, entry.subject, entry.action, entry.by)
        gitstate.set_pending(root, entries[done + 1 :])
    return made


def _commit_paths(root: Path, names: list[str], subject: str, action: str,
                  by: str | None) -> bool:  # fmt: skip
    """One git call in the common case (a tracked case file changed); new files are added
    first, and a missing identity is retried as the neutral one."""
    message = f"{subject}\n\n{TRAILER}: {action}\n"
    # The files were validated when written: the hook would only re-check them, slowly.
    args = ["commit", "-q", "--no-verify", "--only", "-m", message, "--"]
    done = _as_author(root, by, *args, *names)
    if done.returncode != 0 and b"did not match any file" in done.stderr:
        names = _stage_new_and_removed(root, names)
        if not names:
            return False
        done = _as_author(root, by, *args, *names)
    if done.returncode != 0:
        if b"no changes added" in done.stdout + done.stderr or b"nothing" in done.stdout:
            return False
        raise CommitFailed(failure_reason(root, done))
    return True


# What git says when it cannot write, and the French words for it.
_FAILURES = (
    (b"No space left on device", "disque plein"),
    (b"Disk quota exceeded", "quota disque dépassé"),
    (b"Read-only file system", "le dépôt git est en lecture seule"),
    (b"Permission denied", "droits insuffisants sur le dépôt git"),
    (b"insufficient permission", "droits insuffisants sur le dépôt git"),
    (b"index.lock", "une autre commande git est en cours dans ce dossier (index verrouillé)"),
)


def failure_reason(root: Path, done: subprocess.CompletedProcess[bytes] | None) -> str:
    """Why git could not write, in French: from its message, else from trying to write in
    the repository ourselves (the system's error number), else git's last line."""
    said = done.stderr + done.stdout if done is not None else b""
    for needle, reason in _FAILURES:
        if needle in said:
            return reason
    import tempfile

    from visites.errors import reason as system_reason

    try:
        with tempfile.TemporaryFile(dir=root / ".git" / "objects"):
            pass
    except OSError as error:
        return f"{system_reason(error)} (dépôt git)"
    return f"git a répondu : {last_line(done)}" if done is not None else "dépôt git illisible"


# A git command killed halfway (power cut, Ctrl-C at the wrong time) leaves its lock files
# (.git/index.lock, a ref's .lock, config.lock), and git then refuses every later command.
# visites holds the folder's lock while it runs git, so a lock that outlives a short wait is
# abandoned: remove it rather than fail forever (or ask the user to delete it by hand).
ABANDONED_LOCK_SECONDS = 2.0


def git_locks(root: Path) -> list[Path]:
    """The lock files git has in this repository now (the index, HEAD, refs, config)."""
    git_dir = root / ".git"
    found = [git_dir / name for name in ("index.lock", "HEAD.lock", "config.lock",
                                          "packed-refs.lock", "ORIG_HEAD.lock")]  # fmt: skip
    found = [path for path in found if path.exists()]
    found += git_dir.glob("next-index-*.lock")  # the temporary index of `commit --only`
    for refs in (git_dir / "refs" / "heads", git_dir / "refs" / "remotes"):
        if refs.is_dir():
            found += refs.rglob("*.lock")
    return found


def clear_abandoned_locks(root: Path) -> None:
    """Wait up to ABANDONED_LOCK_SECONDS for git's locks to go, then remove what is left."""
    waited = 0.0
    while locks := git_locks(root):
        if waited >= ABANDONED_LOCK_SECONDS:
            for lock in locks:
                with contextlib.suppress(OSError):
                    lock.unlink()
            return
        time.sleep(0.05)
        waited += 0.05


def _stage_new_and_removed(root: Path, names: list[str]) -> list[str]:
    """Add the new files; keep only the removed files git knew. The names to commit."""
    present = [n for n in names if os.path.lexists(n)]
    gone = [n for n in names if not os.path.lexists(n)]
    if present:
        _staged(root, git(root, "add", "--", *present, check=False))
    if gone:
        known = out(root, "ls-files", "-z", "--full-name", "--", *gone).split("\0")
        top = os.path.abspath(root)
        gone = [os.path.join(top, name) for name in known if name]
        if gone:
            _staged(root, git(root, "rm", "-q", "--cached", "--", *gone, check=False))
    return present + gone


def _staged(root: Path, done: subprocess.CompletedProcess[bytes]) -> None:
    if done.returncode != 0:
        raise CommitFailed(failure_reason(root, done))


_NO_IDENTITY = (b"Please tell me who you are", b"empty ident", b"unable to auto-detect")


def _as_author(root: Path, by: str | None, *args: str) -> subprocess.CompletedProcess[bytes]:
    done = git(root, *args, check=False, env=_named(by) if by else None)
    if done.returncode != 0 and not by and any(m in done.stderr for m in _NO_IDENTITY):
        done = git(root, *args, check=False, env=_named(NEUTRAL_NAME))
    return done


def dirty(root: Path) -> list[str]:
    """Tracked files with changes not committed (untracked files do not count)."""
    lines = out(root, "status", "--porcelain", "--untracked-files=no", "-z").split("\0")
    return [line[3:] for line in lines if line]


# ---------------------------------------------------------------------------- git's objects


def blobs(root: Path, specs: list[str]) -> list[bytes | None]:
    """The contents of `rev:path` specs in one `git cat-file --batch` (None where missing)."""
    return [found[1] if found and found[0] == b"blob" else None for found in objects(root, specs)]


def objects(root: Path, specs: list[str]) -> list[tuple[bytes, bytes] | None]:
    """(type, content) of each object spec (`rev:path`, `rev^{tree}`…) in one
    `git cat-file --batch`; None where missing or for an empty spec."""
    asked = [spec for spec in specs if spec]
    if not asked:
        return [None] * len(specs)
    stdin = "".join(spec + "\n" for spec in asked).encode("utf-8")
    raw = git(root, "cat-file", "--batch", stdin=stdin).stdout
    found: list[tuple[bytes, bytes] | None] = []
    position = 0
    for _ in asked:
        end = raw.index(b"\n", position)
        header = raw[position:end].split()
        position = end + 1
        if len(header) == 3 and header[2].isdigit():
            size = int(header[2])
            found.append((header[1], raw[position : position + size]))
            position += size + 1
        else:
            found.append(None)
    answers = iter(found)
    return [next(answers) if spec else None for spec in specs]


# ---------------------------------------------------------------------------- merging a file


def textual_merge(base: Path, ours: Path, theirs: Path) -> int:
    """`git merge-file`: line by line, conflict markers in OURS. Returns git's exit code."""
    done = subprocess.run(
        ["git", "merge-file", "-L", "locale", "-L", "commune", "-L", "distante",
         str(ours), str(base), str(theirs)],
        capture_output=True, check=False, env={**os.environ, "LC_ALL": "C"}, **PRIVATE,
    )  # fmt: skip
    return done.returncode
