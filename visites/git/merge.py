"""Git for `visites sync`: where the team's remote is, fetching, the three trees of a merge,
merging without concluding, rolling back, concluding, pushing. Everything runs through
`gitops.git` (one way to start git). Callers hold the folder's lock.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from visites.git.run import GitFailed, git, identity, last_line, out


@dataclass(frozen=True)
class Upstream:
    remote: str
    branch: str

    def __str__(self) -> str:
        return f"{self.remote}/{self.branch}"


def upstream(root: Path) -> Upstream:
    """Where `sync` pulls from and pushes to: the branch's upstream, else `origin` (or the
    only remote) and the same branch name. No network; one git call."""
    try:
        head = (root / ".git" / "HEAD").read_text(encoding="utf-8").strip()
    except OSError:
        head = ""
    if not head.startswith("ref: refs/heads/"):
        raise GitFailed("le dépôt n'est sur aucune branche (HEAD détachée) : git switch main")
    name = head.removeprefix("ref: refs/heads/")
    found = git(root, "config", "--get-regexp", r"^(remote\..*\.url|branch\..*\.remote)$",
                check=False).stdout.decode("utf-8", "replace")  # fmt: skip
    remotes, configured = [], ""
    for line in found.splitlines():
        key, _, value = line.partition(" ")
        if key.startswith("remote.") and key.endswith(".url"):
            remotes.append(key[len("remote.") : -len(".url")])
        elif key == f"branch.{name.lower()}.remote" or key == f"branch.{name}.remote":
            configured = value.strip()
    remote = configured or ("origin" if "origin" in remotes else "")
    if not remote and len(remotes) == 1:
        remote = remotes[0]
    if not remote:
        raise GitFailed("aucun dépôt distant : ajoutez-le avec « git remote add origin ADRESSE »")
    return Upstream(remote, name)


def fetch(root: Path, where: Upstream) -> tuple[str | None, str | None]:
    """Fetch the remote branch (its remote-tracking ref updated too). (HEAD's commit, the
    remote branch's commit), the latter None when the remote does not have the branch yet
    (the first push)."""
    tracking = f"refs/remotes/{where.remote}/{where.branch}"
    spec = f"+refs/heads/{where.branch}:{tracking}"
    done = git(root, "fetch", "-q", "--no-tags", where.remote, spec, check=False)
    if done.returncode != 0:
        if b"couldn't find remote ref" in done.stderr:
            return rev(root, "HEAD"), None
        raise GitFailed(f"dépôt distant « {where.remote} » injoignable : {last_line(done)} "
                        "(relancez « visites sync » plus tard)")  # fmt: skip
    found = git(root, "rev-parse", "HEAD", tracking, check=False).stdout.decode().split()
    if len(found) != 2:
        raise GitFailed(f"dépôt distant « {where.remote} » : branche {where.branch} illisible")
    return found[0], found[1]


def rev(root: Path, spec: str) -> str | None:
    done = git(root, "rev-parse", "-q", "--verify", f"{spec}^{{commit}}", check=False)
    return done.stdout.decode().strip() or None if done.returncode == 0 else None


def merge_base(root: Path, ours: str, theirs: str) -> str | None:
    done = git(root, "merge-base", ours, theirs, check=False)
    return done.stdout.decode().strip() or None if done.returncode == 0 else None


@dataclass(frozen=True)
class Change:
    """One path changed between two commits: A, M or D, and the blob ids before and after
    (None where the file is absent)."""

    status: str
    old: str | None
    new: str | None


_NO_BLOB = "0" * 40


def changes(root: Path, old: str, new: str) -> dict[str, Change]:
    """Path → Change from `old` to `new` (renames never detected: a case file deleted here
    and a similar new one there are two cases, never one moved). One git call."""
    text = out(root, "diff-tree", "-r", "-z", "--no-renames", "--raw", "--no-abbrev", old, new)
    parts = text.split("\0")
    found = {}
    for header, path in zip(parts[::2], parts[1::2], strict=False):
        fields = header.split()
        if not path or len(fields) < 5:
            continue
        before, after = fields[2], fields[3]
        found[path] = Change(fields[4][:1], None if set(before) == {"0"} else before,
                             None if set(after) == {"0"} else after)  # fmt: skip
    return found


def index_ids(root: Path, paths: list[str]) -> dict[str, str]:
    """The blob id of each path in the index (stage 0: merged), missing when absent or
    still unmerged. One git call."""
    if not paths:
        return {}
    text = out(root, "ls-files", "-s", "-z", "--", *paths)
    found = {}
    for entry in text.split("\0"):
        info, _, path = entry.partition("\t")
        fields = info.split()
        if path and len(fields) == 3 and fields[2] == "0":
            found[path] = fields[1]
    return found


def index_versions(root: Path, paths: list[str]) -> dict[str, set[str]]:
    """Every blob id the index holds for each path, whatever its stage (merged, or the three
    sides of a conflict). One git call."""
    if not paths:
        return {}
    text = out(root, "ls-files", "-s", "-z", "--", *paths)
    found: dict[str, set[str]] = {}
    for entry in text.split("\0"):
        info, _, path = entry.partition("\t")
        fields = info.split()
        if path and len(fields) == 3:
            found.setdefault(path, set()).add(fields[1])
    return found


def names(root: Path, rev_: str) -> list[str]:
    """The file names at the top of a commit's tree."""
    return [n for n in out(root, "ls-tree", "-z", "--name-only", rev_).split("\0") if n]


_IDENTITIES: dict[tuple[str, str | None, int], dict[str, str]] = {}


def author(root: Path, by: str | None) -> dict[str, str]:
    """`gitops.identity`, asked once per command (one git call saved at each commit)."""
    try:
        stamp = (root / ".git" / "config").stat().st_mtime_ns
    except OSError:
        stamp = 0
    key = (str(root), by, stamp)
    if key not in _IDENTITIES:
        _IDENTITIES[key] = identity(root, by)
    return _IDENTITIES[key]


def start_merge(root: Path, theirs: str, message: str, by: str | None) -> bool:
    """`git merge` of `theirs`, never concluded (the sync verifies first), never a
    fast-forward, renames never guessed. True when git merged every file, False when some
    are left unmerged (conflicts). GitFailed when git could not merge at all.

    Renames: case files look alike, so git would take a case deleted here and a new one
    there for one file moved, and put a colleague's note in another household's file. Only
    byte-identical files count as moved (`find-renames=100%`; git 2.39's default merge
    ignores `no-renames`), and those never happen (the `id:` line differs)."""
    args = ["merge", "--no-commit", "--no-ff", "-X", "find-renames=100%", "-m", message]
    done = git(root, "-c", "merge.conflictStyle=merge", *args, theirs, check=False,
               env=author(root, by))  # fmt: skip
    if done.returncode == 0:
        return True
    if merging(root) and unmerged(root):
        return False
    raise GitFailed(f"fusion impossible : {last_line(done)}")


def merging(root: Path) -> bool:
    return (root / ".git" / "MERGE_HEAD").exists()


def merge_head(root: Path) -> str | None:
    try:
        return (root / ".git" / "MERGE_HEAD").read_text().split()[0]
    except (OSError, IndexError):
        return None


def unmerged(root: Path) -> list[str]:
    names_ = out(root, "diff", "--name-only", "--diff-filter=U", "-z")
    return list(dict.fromkeys(n for n in names_.split("\0") if n))


def abort_merge(root: Path, touched: list[str]) -> None:
    """Roll a merge back to HEAD: MERGE_HEAD and the merge's files go, HEAD (the worker's
    own commits) stays. `touched`: the paths the merge may have written (those that differ
    between HEAD and the merged commit), restored to HEAD even when git's index was left
    half-written by a kill."""
    if merging(root):
        git(root, "merge", "--abort", check=False)
        if merging(root):  # git could not: forget the merge ourselves
            git(root, "reset", "-q", "--merge", check=False)
            for name in ("MERGE_HEAD", "MERGE_MSG", "MERGE_MODE", "AUTO_MERGE"):
                with contextlib.suppress(FileNotFoundError):
                    (root / ".git" / name).unlink()
    restore(root, touched)


def restore(root: Path, paths: list[str]) -> None:
    """Put `paths` back as they are in HEAD, in the index and the work tree (a path HEAD
    does not have is removed)."""
    if not paths:
        return
    known = set(names_in(root, "HEAD", paths))
    present = [p for p in paths if p in known]
    absent = [p for p in paths if p not in known]
    if present:
        git(root, "checkout", "-q", "HEAD", "--", *present, check=False)
    if absent:
        git(root, "rm", "-q", "--cached", "--ignore-unmatch", "--", *absent, check=False)
        for path in absent:
            with contextlib.suppress(FileNotFoundError, IsADirectoryError):
                (root / path).unlink()


def names_in(root: Path, rev_: str, paths: list[str]) -> list[str]:
    """Which of `paths` exist in `rev_`."""
    if not paths:
        return []
    text = out(root, "ls-tree", "-r", "-z", "--name-only", rev_, "--", *paths)
    return [n for n in text.split("\0") if n]


def fast_forward(root: Path, theirs: str) -> None:
    done = git(root, "merge", "-q", "--ff-only", theirs, check=False)
    if done.returncode != 0:
        raise GitFailed(f"mise à jour impossible : {last_line(done)}")


def stage(root: Path, paths: list[str]) -> None:
    """The index takes the work tree's version of `paths` (a missing file: removed)."""
    present = [p for p in paths if os.path.lexists(root / p)]
    absent = [p for p in paths if not os.path.lexists(root / p)]
    if present:
        git(root, "add", "-f", "--", *present)
    if absent:
        git(root, "rm", "-q", "--cached", "--ignore-unmatch", "--", *absent)


def conclude(root: Path, message: str, by: str | None) -> None:
    git(root, "commit", "-q", "--no-verify", "-m", message, env=author(root, by))


def push(root: Path, where: Upstream) -> bool:
    """Push HEAD. False when the remote moved meanwhile (fetch and merge again)."""
    done = git(
        root, "push", "-q", "-u", where.remote, f"HEAD:refs/heads/{where.branch}", check=False
    )
    if done.returncode == 0:
        return True
    if b"fetch first" in done.stderr or b"non-fast-forward" in done.stderr:
        return False
    raise GitFailed(
        f"envoi refusé par {where.remote} : {last_line(done)} (relancez « visites sync »)"
    )


def worktree_changes(root: Path) -> tuple[list[str], list[str]]:
    """(tracked files changed and not committed, untracked files), one `git status`."""
    text = out(root, "status", "--porcelain", "-z", "--untracked-files=normal")
    changed, untracked = [], []
    entries = iter(text.split("\0"))
    for entry in entries:
        if not entry:
            continue
        code, path = entry[:2], entry[3:]
        if code[0] in "RC":
            next(entries, None)  # the rename's source
        (untracked if code == "??" else changed).append(path)
    return changed, untracked


def blob_id(data: bytes) -> str:
    """The id git gives these bytes as a blob (no git call)."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def on_remote(root: Path, sha: str) -> bool:
    """The commit is in a remote-tracking branch: the team has it (sent or received)."""
    done = git(root, "branch", "-r", "--contains", sha, "--format=%(refname)", check=False)
    return done.returncode == 0 and bool(done.stdout.strip())
