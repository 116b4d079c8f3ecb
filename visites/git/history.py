"""A case file's history as git keeps it: the commits that touched it, the last commit and
the files it changed, the staged case files (for the pre-commit check), and undoing a commit
with a new one. Read by `services.history`; git is run through `run.git`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from visites.git.run import TRAILER, GitFailed, git, identity, last_line, out


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


def staged_case_files(root: Path, pattern: str) -> list[str]:
    """Staged files (added, changed) whose name matches `pattern` (a regex)."""
    import re

    names = out(root, "diff", "--cached", "--name-only", "--diff-filter=ACMR", "-z")
    return [n for n in names.split("\0") if n and re.fullmatch(pattern, Path(n).name)]


def revert(root: Path, sha: str, subject: str, action: str, by: str | None) -> None:
    """Undo commit `sha` with a new commit (history keeps both)."""
    done = git(root, "revert", "--no-commit", sha, check=False)
    if done.returncode != 0:
        git(root, "revert", "--abort", check=False)
        raise GitFailed(f"annulation impossible : {last_line(done)}")
    message = f"{subject}\n\n{TRAILER}: {action}\n"
    git(root, "commit", "-q", "--no-verify", "-m", message, env=identity(root, by))
