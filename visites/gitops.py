"""Git, run as a program (`git -C root …`, never through a shell). The only module that knows git.

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
from dataclasses import dataclass
from pathlib import Path

from visites.errors import VisitesError

TRAILER = "Visites-Action"
NEUTRAL_NAME = "visites"
NEUTRAL_EMAIL = "visites@localhost"
HOOK_MARK = "# installé par visites"
DRIVER = "visites"
ATTRIBUTES = (
    "# Fusion des dossiers par visites (champ par champ, événements triés par date).\n"
    "[0-9][0-9][0-9][0-9]-*.yaml merge=visites\n"
)


class GitFailed(VisitesError):
    """Git refused or failed; the message carries its last line of explanation."""


@dataclass(frozen=True)
class Commit:
    sha: str
    parents: tuple[str, ...]
    author: str
    when: str  # ISO 8601 with offset
    message: str
    path: str  # the case file's path in that commit (`--follow` sees renames)

    @property
    def subject(self) -> str:
        return self.message.splitlines()[0] if self.message else ""

    @property
    def action(self) -> str | None:
        """The action code of a commit made by visites, None for any other commit."""
        for line in self.message.splitlines():
            if line.startswith(TRAILER + ":"):
                return line.split(":", 1)[1].strip()
        return None


# ---------------------------------------------------------------------------- running git


# What git creates (the repository, checked-out and merged case files) is private to the user,
# whatever the user's umask: 0700 folders, 0600 files.
PRIVATE: dict[str, int] = {"umask": 0o077} if os.name == "posix" else {}


def available() -> bool:
    return shutil.which("git") is not None


def is_repo(root: Path) -> bool:
    """The folder is the top of a git work tree (and git is installed)."""
    return (root / ".git").exists() and available()


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
    driver = f"{command_line()} merge-file %O %A %B %P"
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


def commit(root: Path, paths: list[Path], subject: str, action: str, by: str | None) -> bool:
    """Commit exactly `paths` (new, changed or deleted) with `subject` and the visites
    trailer; other staged or changed files stay out. False when nothing was committed.

    One git call in the common case (a tracked case file changed); new files are added
    first, and a missing identity is retried as the neutral one."""
    if not paths or not is_repo(root) or merging(root):
        return False  # during a merge, `sync` concludes it with everything resolved
    _clear_abandoned_index_lock(root)
    ensure_setup(root)
    # Absolute: `git -C root` would read relative paths from root, not from here.
    names = [os.path.abspath(p) for p in dict.fromkeys(paths)]
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
        reason = (
            "verrou .git/index.lock présent (une commande git est-elle en cours ?)"
            if b"index.lock" in done.stderr
            else f"git a répondu par le code {done.returncode}"
        )
        raise GitFailed(
            f"enregistrement git impossible : {reason}. Le dossier, lui, est bien écrit : "
            "ne relancez pas la commande ; enregistrez-le plus tard avec « git commit »"
        )
    return True


# A git commit killed halfway (power cut, Ctrl-C at the wrong time) leaves .git/index.lock,
# and git then refuses every later commit. visites holds the folder's lock while it commits,
# so a lock that outlives a short wait is abandoned: remove it rather than fail forever.
ABANDONED_LOCK_SECONDS = 2.0


def _clear_abandoned_index_lock(root: Path) -> None:
    lock = root / ".git" / "index.lock"
    waited = 0.0
    while lock.exists():
        if waited >= ABANDONED_LOCK_SECONDS:
            with contextlib.suppress(FileNotFoundError):
                lock.unlink()
            return
        time.sleep(0.05)
        waited += 0.05


def _stage_new_and_removed(root: Path, names: list[str]) -> list[str]:
    """Add the new files; keep only the removed files git knew. The names to commit."""
    present = [n for n in names if os.path.lexists(n)]
    gone = [n for n in names if not os.path.lexists(n)]
    if present:
        git(root, "add", "--", *present)
    if gone:
        known = out(root, "ls-files", "-z", "--full-name", "--", *gone).split("\0")
        top = os.path.abspath(root)
        gone = [os.path.join(top, name) for name in known if name]
        if gone:
            git(root, "rm", "-q", "--cached", "--", *gone)
    return present + gone


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


# ---------------------------------------------------------------------------- reading history


def log(root: Path, path: Path) -> list[Commit]:
    """The commits that touched `path`, newest first. visites never renames a case file, so
    renames are not followed (git would take a similar new case for a copy)."""
    text = out(root, "log", "--name-only", "-z",
               "--format=%x1e%H%x1f%P%x1f%an%x1f%aI%x1f%B%x1f", "--", str(path))  # fmt: skip
    commits = []
    for record in text.split("\x1e")[1:]:
        sha, parents, author, when, message, names = record.split("\x1f")
        name = names.strip("\0\n").split("\0")[0] or str(path.relative_to(root))
        commits.append(Commit(sha, tuple(parents.split()), author, when, message.strip(), name))
    return commits


def head(root: Path) -> Commit | None:
    done = git(root, "log", "-1", "--format=%H%x1f%P%x1f%an%x1f%aI%x1f%B", check=False)
    if done.returncode != 0:
        return None
    sha, parents, author, when, message = done.stdout.decode("utf-8", "replace").split("\x1f")
    return Commit(sha, tuple(parents.split()), author, when, message.strip(), "")


def changed_files(root: Path, sha: str) -> list[str]:
    names = out(root, "diff-tree", "--no-commit-id", "--name-only", "-r", "-z", "--root", sha)
    return [n for n in names.split("\0") if n]


def blobs(root: Path, specs: list[str]) -> list[bytes | None]:
    """The contents of `rev:path` specs in one `git cat-file --batch` (None where missing)."""
    asked = [spec for spec in specs if spec]
    if not asked:
        return [None] * len(specs)
    stdin = "".join(spec + "\n" for spec in asked).encode("utf-8")
    raw = git(root, "cat-file", "--batch", stdin=stdin).stdout
    found: list[bytes | None] = []
    position = 0
    for _ in asked:
        end = raw.index(b"\n", position)
        header = raw[position:end].split()
        position = end + 1
        if len(header) == 3 and header[1] == b"blob":
            size = int(header[2])
            found.append(raw[position : position + size])
            position += size + 1
        else:
            found.append(None)
    answers = iter(found)
    return [next(answers) if spec else None for spec in specs]


def staged_case_files(root: Path, pattern: str) -> list[str]:
    """Staged files (added, changed) whose name matches `pattern` (a regex)."""
    import re

    names = out(root, "diff", "--cached", "--name-only", "--diff-filter=ACMR", "-z")
    return [n for n in names.split("\0") if n and re.fullmatch(pattern, Path(n).name)]


# ---------------------------------------------------------------------------- undo, sync


def revert(root: Path, sha: str, subject: str, action: str, by: str | None) -> None:
    """Undo commit `sha` with a new commit (history keeps both)."""
    done = git(root, "revert", "--no-commit", sha, check=False)
    if done.returncode != 0:
        git(root, "revert", "--abort", check=False)
        raise GitFailed(f"annulation impossible : {last_line(done)}")
    message = f"{subject}\n\n{TRAILER}: {action}\n"
    git(root, "commit", "-q", "--no-verify", "-m", message, env=identity(root, by))


@dataclass(frozen=True)
class Upstream:
    remote: str
    branch: str
    exists: bool  # the remote already has the branch (else: first push)


def upstream(root: Path) -> Upstream:
    """Where `sync` pulls from and pushes to: the branch's upstream, else `origin` (or the
    only remote) and the same branch name."""
    branch = git(root, "symbolic-ref", "--short", "-q", "HEAD", check=False)
    if branch.returncode != 0:
        raise GitFailed("le dépôt n'est sur aucune branche (HEAD détachée) : git switch main")
    name = branch.stdout.decode().strip()
    remotes = out(root, "remote").split()
    configured = git(root, "config", "--get", f"branch.{name}.remote", check=False)
    remote = configured.stdout.decode().strip() or ("origin" if "origin" in remotes else "")
    if not remote and len(remotes) == 1:
        remote = remotes[0]
    if not remote:
        raise GitFailed("aucun dépôt distant : ajoutez-le avec « git remote add origin ADRESSE »")
    heads = git(root, "ls-remote", "--heads", remote, name, check=False)
    if heads.returncode != 0:
        raise GitFailed(f"dépôt distant « {remote} » injoignable : {last_line(heads)}")
    return Upstream(remote, name, bool(heads.stdout.strip()))


def fetch_and_merge(root: Path, where: Upstream, by: str | None) -> bool:
    """Fetch and merge the remote branch (the merge driver does the case files). True when
    the merge is done, False when it stopped on conflicts (the merge stays in progress)."""
    git(root, "fetch", "-q", where.remote, where.branch)
    # Our own message: git's default names the remote's address, which may hold a login.
    message = f"synchronisation : fusion de {where.remote}/{where.branch}"
    done = git(root, "merge", "--no-edit", "-m", message, "FETCH_HEAD",
               check=False, env=identity(root, by))  # fmt: skip
    if done.returncode == 0:
        return True
    if unmerged(root):
        return False
    raise GitFailed(f"fusion impossible : {last_line(done)}")


def unmerged(root: Path) -> list[str]:
    names = out(root, "diff", "--name-only", "--diff-filter=U", "-z")
    return [n for n in names.split("\0") if n]


def conclude_merge(root: Path, paths: list[str], by: str | None) -> None:
    git(root, "add", "--", *paths)
    git(root, "commit", "-q", "--no-edit", "--no-verify", env=identity(root, by))


def push(root: Path, where: Upstream) -> None:
    done = git(root, "push", "-q", "-u", where.remote, f"HEAD:refs/heads/{where.branch}",
               check=False)  # fmt: skip
    if done.returncode != 0:
        raise GitFailed(f"envoi refusé par {where.remote} : {last_line(done)} "
                        "(relancez « visites sync »)")  # fmt: skip


def textual_merge(base: Path, ours: Path, theirs: Path) -> int:
    """`git merge-file`: line by line, conflict markers in OURS. Returns git's exit code."""
    done = subprocess.run(
        ["git", "merge-file", "-L", "locale", "-L", "commune", "-L", "distante",
         str(ours), str(base), str(theirs)],
        capture_output=True, check=False, env={**os.environ, "LC_ALL": "C"}, **PRIVATE,
    )  # fmt: skip
    return done.returncode
