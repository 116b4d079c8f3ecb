"""The folder's secret key (`registre.cle`) and the fingerprints of erased households in the
registry, on disk: an erasure adds them, an import reads them (`origins` for the hashes).

Where the key lives, and why (README, « Reprendre un tableau existant »): in its own file,
tracked by git with the folder, so that every clone of the team hashes the same way and an
erased household stays erased whoever imports; never inside `registre.yaml`, so that the
registry alone (copied, printed, pasted in a message, shown by `git log -p`) tells nothing:
without the key, a hash cannot be tried against the hundred thousand possible leases. The
key is no secret from the team, who may read the case files anyway. It is created by
`visites init`, or by the first erasure in a folder made before. Two clones of such a folder
may each create one before they sync: the file is merged as a union of lines (`merge=union`),
every key is kept, and every key is tried.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from visites import origins
from visites.errors import VisitesError, reason
from visites.files import atomic_write
from visites.merge import registry
from visites.model import Case
from visites.paths import KEY_FILE
from visites.store import Folder, Journal

KEY_ATTRIBUTE = f"{KEY_FILE} merge=union"
_HEADER = (
    "# Clé secrète du dossier de cas : elle chiffre les empreintes des ménages effacés\n"
    "# (registre.yaml), pour qu'un import ne les reprenne jamais. Ne la modifiez pas, ne la\n"
    "# supprimez pas : sans elle, un ménage effacé ne serait plus reconnu.\n"
)
_KEY = re.compile(r"^[0-9a-f]{64}$")


def keys(root: Path) -> list[bytes]:
    """The folder's keys, in the file's order (none when it has no key file)."""
    try:
        text = (root / KEY_FILE).read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return []
    except OSError as error:
        raise VisitesError(f"lecture impossible : {reason(error)}", path=root / KEY_FILE) from None
    return [bytes.fromhex(line.strip()) for line in text.splitlines() if _KEY.match(line.strip())]


def create(root: Path, attributes: bool | None = None) -> list[Path]:
    """Give the folder its key when it has none, and make git merge the key file as a union
    of lines (in a git folder, or when `attributes`: `visites init`); the paths written."""
    written = []
    path = root / KEY_FILE
    if not keys(root):
        if path.exists():  # damaged by hand: never replaced silently, a key may be lost
            raise VisitesError(
                f"la clé du registre est illisible : remettez-la depuis l'historique "
                f"(git checkout -- {KEY_FILE})", path=path)  # fmt: skip
        atomic_write(path, (_HEADER + secrets.token_hex(32) + "\n").encode("utf-8"))
        written.append(path)
    wanted = (root / ".git").exists() if attributes is None else attributes
    if wanted and (changed := _with_union(root)):
        written.append(changed)
    return written


def _with_union(root: Path) -> Path | None:
    from visites.services.tombstones import add_attribute

    note = "# Clé du registre : les clés créées sur deux postes sont toutes gardées.\n"
    # Required: without the union merge, two postes' keys would conflict (as before the
    # shared appender: an unwritable .gitattributes is an error here, not skipped).
    return add_attribute(root, KEY_ATTRIBUTE, f"{note}{KEY_ATTRIBUTE}\n", required=True)


def recorded(root: Path) -> tuple[list[bytes], registry.Registry]:
    """The keys, and the registry whose fingerprints they hash. A registry with fingerprints
    and no key cannot be read: a VisitesError, so that an import never goes ahead blind."""
    from visites.services import tombstones

    found = tombstones.read(root)
    held = keys(root)
    if found.fingerprints and not held:
        raise VisitesError(
            f"la clé du registre ({KEY_FILE}) manque : les ménages effacés ne peuvent pas être "
            f"reconnus. Remettez-la depuis l'historique (git checkout -- {KEY_FILE}) ou depuis "
            "le clone d'un·e collègue"
        )
    return held, found


# ---------------------------------------------------------------------------- an erasure


def record_cases(folder: Folder, journal: Journal, cases: Iterable[Case]) -> None:
    """Before erasing `cases`: their fingerprints in the registry, in the same command and
    commit (a kill in between leaves a fingerprint too many, never an erased household that
    an import could bring back)."""
    _record(folder, journal, [_identity_of(case) for case in cases])


def record_file(folder: Folder, journal: Journal, case_id: str) -> None:
    """Before deleting `case_id`'s file: its fingerprints, read from the file as it is (a
    file `check` refuses is erased too; one that is not even YAML leaves none)."""
    from visites import yamlio

    try:
        tree = yamlio.load(yamlio.decode(folder.path_of(case_id).read_bytes()))
    except (OSError, yamlio.YamlProblem):
        return
    if isinstance(tree, dict):
        _record(folder, journal, [_identity_of_tree(tree)])


def _identity_of(case: Case) -> tuple[list[str], str]:
    found = origins.identities(case.referral.landlord_ref, case.household.name,
                               case.referral.date)  # fmt: skip
    return found, registry.IMPORTED if case.origin else registry.TYPED


def _identity_of_tree(tree: dict[str, Any]) -> tuple[list[str], str]:
    from visites.dates import parse_date

    referral = tree.get("orientation_recue")
    household = tree.get("menage")
    referral = referral if isinstance(referral, dict) else {}
    household = household if isinstance(household, dict) else {}
    day = referral.get("date")
    if isinstance(day, str):
        try:
            day = parse_date(day)
        except ValueError:
            day = None
    ref, name = referral.get("reference_bailleur"), household.get("nom")
    found = origins.identities(
        ref if isinstance(ref, str) else None,
        name if isinstance(name, str) else None,
        day if isinstance(day, date) else None,
    )
    return found, registry.IMPORTED if tree.get("origine") else registry.TYPED


def _record(folder: Folder, journal: Journal, found: list[tuple[list[str], str]]) -> None:
    from visites.services import tombstones

    if not any(identities for identities, _ in found):
        return
    for path in create(folder.root):
        journal.note(path)
    key = keys(folder.root)[0]
    text = tombstones.read_text(folder.root)
    current = registry.parse(text)
    added = [registry.Fingerprint(origins.keyed(identity, key), source)
             for identities, source in found for identity in identities]  # fmt: skip
    updated = registry.render(registry.with_fingerprints(current, added))
    path = tombstones.path_in(folder.root)
    if updated != text:
        atomic_write(path, updated.encode("utf-8"))
    journal.note(path)
