"""The next free ID of a year: after every case file present, every ID the registry names
(erased: never given again), the highest number the team's remote had given at the last
`visites sync` here, and the highest number the clone's git ever knew (`given`, read by the
caller from git: a file removed or a deletion committed by hand frees no ID). Two referrals
a colleague and you enter offline may still meet: sync then renumbers the one not yet sent
(syncdecide). No case file is parsed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from visites.ids import sort_key
from visites.merge.registry import numbers_in
from visites.paths import REGISTRY_FILE, REMOTE_NUMBERS


def next_free_id(
    root: Path, case_ids: list[str], year: int, given: Mapping[str, int] | None = None
) -> str:
    """The number after every one of `year` ever given: files present (`case_ids`), the
    registry, the remote as last synced, and `given` (year → highest number git knew)."""
    prefix = f"{year}-"
    numbers = [sort_key(case_id)[1] for case_id in case_ids if case_id.startswith(prefix)]
    numbers += numbers_in(_text(root / REGISTRY_FILE), year)
    numbers.append(remote_numbers(root).get(str(year), 0))
    numbers.append((given or {}).get(str(year), 0))
    return f"{year}-{max(numbers, default=0) + 1:03d}"


def remote_numbers(root: Path) -> dict[str, int]:
    """Year → the highest number the team's remote had given (files and registry), as of
    the last `visites sync` here (paths.REMOTE_NUMBERS); empty when unknown."""
    try:
        found = json.loads(_text(root / REMOTE_NUMBERS) or "{}")
    except ValueError:
        return {}
    if not isinstance(found, dict):
        return {}
    return {str(year): number for year, number in found.items() if isinstance(number, int)}


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
