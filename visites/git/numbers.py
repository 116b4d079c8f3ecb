"""The case numbers git ever knew in this clone: every case file any commit of its history
added or removed (HEAD, its branches, the team's remote as last fetched) and every case file
its index tracks. `next_id` never gives one of them again: a file removed by hand (`rm`, a
file manager), or a deletion committed by hand (`git rm`, `git commit`) leaves no file and
no tombstone, but its ID still named a household, on this clone or a colleague's.

The walk of the history is kept in `.visites-cache/numeros-historique.json` (the tips
already walked, year → highest number; beside the index, ignored by git, rebuilt at will):
each call walks only the commits added since, so the cost follows the new commits, not the
age of the folder. A damaged or missing file, or a tip git no longer has (history
rewritten), means one walk of the whole history again. Numbers only, never a name.
"""

from __future__ import annotations

import json
from pathlib import Path

from visites.git import state as gitstate
from visites.git.run import available, git
from visites.paths import CASE_FILE

CACHE = (".visites-cache", "numeros-historique.json")  # the index's folder (cache.index)
# Case files (top of the folder only, `AAAA-NNN.yaml`) named by a commit's changes.
_LOG = ("log", "--format=", "--name-only", "--diff-filter=AD", "--diff-merges=first-parent")


def ever_given(root: Path) -> dict[str, int]:
    """Year → the highest case number this clone's git ever knew (history and index);
    empty outside a repository or without git. Never fails: git refusing counts as empty."""
    if not (root / ".git").exists() or not available():
        return {}
    tips = _tips(root)
    cache = root.joinpath(*CACHE)
    walked, numbers = _cached(cache)
    if tips and not set(tips) <= set(walked):
        new = _walk(root, tips, walked)
        if new is None:  # a walked tip is gone (history rewritten): walk it all again,
            new = _walk(root, tips, [])  # keeping the numbers seen (they named households)
        numbers = _highest(numbers, new or [])
        _save(cache, {"tips": sorted(set(tips)), "annees": numbers})
    tracked = git(root, "ls-files", "--", "[0-9][0-9][0-9][0-9]-*.yaml", check=False)
    return _highest(numbers, tracked.stdout.decode("utf-8", "replace").splitlines())


def _tips(root: Path) -> list[str]:
    done = git(root, "rev-parse", "HEAD", "--branches", "--remotes", check=False)
    return [line for line in done.stdout.decode("ascii", "replace").split() if len(line) >= 40]


def _cached(path: Path) -> tuple[list[str], dict[str, int]]:
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return [], {}
    if not isinstance(found, dict):
        return [], {}
    tips = [t for t in found.get("tips", []) if isinstance(t, str)]
    years = found.get("annees", {})
    if not isinstance(years, dict):
        return [], {}
    return tips, {str(y): n for y, n in years.items() if isinstance(n, int)}


def _walk(root: Path, tips: list[str], walked: list[str]) -> list[str] | None:
    """The case file names the commits reachable from `tips` and not from `walked` added
    or removed; None when git refuses (a walked tip it no longer has)."""
    done = git(root, *_LOG, *tips, "--not", *walked, "--", check=False)
    if done.returncode != 0:
        return None
    return done.stdout.decode("utf-8", "replace").splitlines()


def _highest(numbers: dict[str, int], names: list[str]) -> dict[str, int]:
    result = dict(numbers)
    for name in names:
        if match := CASE_FILE.fullmatch(name.strip()):
            year, number = match.group(1).split("-")
            result[year] = max(int(number), result.get(year, 0))
    return result


def _save(path: Path, value: dict[str, object]) -> None:
    """Private, atomic; a cache that cannot be written is walked again."""
    gitstate.write_json(path, value)
