"""The rules across the folder, over the facts the shell gathered (file names, modes from
`stat`): nothing here touches the disk."""

from __future__ import annotations

import stat
from dataclasses import dataclass, field

from visites.errors import WARNING, Problem
from visites.ids import sort_key


@dataclass(frozen=True)
class FolderFacts:
    """What `check` needs to know of the folder beyond its cases, gathered by the shell."""

    root: str
    has_settings: bool  # visites.yaml is there
    stray_files: tuple[str, ...]  # YAML files named like neither a case nor the settings
    case_files: dict[str, str]  # case ID → its file, in ID order
    folder_mode: int | None  # st_mode of the folder; None when stat failed
    file_modes: dict[str, int]  # case ID → st_mode of its file (those stat could read)
    merge_leftovers: tuple[str, ...] = ()  # git's merge copies left by a killed sync
    # Case ID → the erasure's kind and day (registre.yaml), for the case files present here
    # that bring it back (a deleted ID; an anonymised ID whose file is not the anonymised one).
    deleted_present: dict[str, tuple[str, str]] = field(default_factory=dict)


def validate_settings_file(facts: FolderFacts) -> list[Problem]:
    if facts.has_settings:
        return []
    message = "pas de visites.yaml : réglages par défaut du programme (visites init)"
    return [Problem(facts.root, None, message, WARNING)]


def validate_stray_files(facts: FolderFacts) -> list[Problem]:
    message = "fichier ignoré : son nom n'est pas un identifiant de dossier (AAAA-NNN.yaml)"
    return [Problem(path, None, message, WARNING) for path in facts.stray_files]


def validate_unique_ids(facts: FolderFacts) -> list[Problem]:
    """Two files naming the same referral number (2015-007 and 2015-0007)."""
    found = []
    for same in duplicate_ids(list(facts.case_files)).values():
        message = f"numéro de dossier en double : {', '.join(same)}"
        found += [Problem(facts.case_files[case_id], None, message) for case_id in same]
    return found


def validate_folder_mode(facts: FolderFacts) -> list[Problem]:
    if facts.folder_mode is None or not facts.folder_mode & (stat.S_IRWXG | stat.S_IRWXO):
        return []
    message = "dossier accessible à d'autres utilisateurs : chmod 700 conseillé"
    return [Problem(facts.root, None, message, WARNING)]


def validate_file_modes(facts: FolderFacts) -> list[Problem]:
    message = "fichier lisible par d'autres utilisateurs : chmod 600 conseillé"
    return [
        Problem(facts.case_files[case_id], None, message, WARNING)
        for case_id, mode in facts.file_modes.items()
        if mode & (stat.S_IRGRP | stat.S_IROTH)
    ]


def duplicate_ids(ids: list[str]) -> dict[tuple[int, int], list[str]]:
    """IDs naming the same referral number twice (2015-007 and 2015-0007)."""
    seen: dict[tuple[int, int], list[str]] = {}
    for case_id in ids:
        seen.setdefault(sort_key(case_id), []).append(case_id)
    return {k: v for k, v in seen.items() if len(v) > 1}


def validate_merge_leftovers(facts: FolderFacts) -> list[Problem]:
    """Copies git made for a merge, left behind by a sync killed halfway: whole case files,
    personal data included. The next `visites sync` removes them."""
    message = ("copie temporaire d'une fusion interrompue (données personnelles) : "
               "« visites sync » la supprime")  # fmt: skip
    return [Problem(path, None, message, WARNING) for path in facts.merge_leftovers]


def validate_deleted_present(facts: FolderFacts) -> list[Problem]:
    """A case file that brings back an erased household (a copy restored from a backup): a
    file under a deleted ID, or a file under an anonymised ID that is not the anonymised
    one. `visites sync` refuses to record it."""
    found = []
    for case_id, (kind, day) in facts.deleted_present.items():
        if case_id not in facts.case_files:
            continue
        if kind == "suppression":
            message = (
                f"dossier {case_id} supprimé le {day} (registre.yaml) : ce fichier le fait "
                "revenir ; retirez-le du dossier de cas (« visites sync » refuse de l'enregistrer)"
            )
        else:
            message = (
                f"dossier {case_id} anonymisé le {day} (registre.yaml) : ce fichier contient de "
                "nouveau ses données (une copie d'avant l'anonymisation ?) ; remettez la version "
                f"anonymisée (git checkout -- {case_id}.yaml)"
            )
        found.append(Problem(facts.case_files[case_id], None, message))
    return found
