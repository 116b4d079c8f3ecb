"""Who a spreadsheet row is, and what an erased household leaves behind: keyed hashes. Pure.

A row of the landlord's tableau de suivi and a case are the same referral when they have the
same landlord reference (the lease) and the same referral date, or, without a reference, the
same household name and the same date: both compared normalised (`known.normalised`). The
date belongs to the identity because a household referred again years later is a new case
(« ménage déjà connu »), not the old one.

When a case is erased (`delete`, `anonymise`), these identities are kept in the registry as
HMAC-SHA-256 hashes under the folder's secret key (`origin_keys`), never in clear: a lease
reference is short (LOG-44-01234: a hundred thousand values), and a plain hash of it would be
reversed by trying them all. With the key, the import can still tell « déjà importé puis
effacé » and never bring the household back.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from datetime import date

from visites.known import normalised

DIGEST_LENGTH = 32  # hex characters kept of the HMAC (128 bits: no collision in practice)


def identities(landlord_ref: str | None, name: str | None, day: date | None) -> list[str]:
    """The identities of a referral: by its lease and date, and by its household's name and
    date (either is enough to recognise it); none without a date."""
    if day is None:
        return []
    found = []
    if reference := normalised(landlord_ref):
        found.append(f"bail|{reference}|{day.isoformat()}")
    if household := normalised(name):
        found.append(f"menage|{household}|{day.isoformat()}")
    return found


def keyed(identity: str, key: bytes) -> str:
    """The keyed hash of one identity, as the registry writes it."""
    return hmac.new(key, identity.encode("utf-8"), hashlib.sha256).hexdigest()[:DIGEST_LENGTH]


def fingerprints(found: Iterable[str], keys: Iterable[bytes]) -> set[str]:
    """The hashes of `found` identities under each key (a folder may hold two keys after two
    clones each made one: see `origin_keys`)."""
    keys = list(keys)
    return {keyed(identity, key) for identity in found for key in keys}


def erased(found: Iterable[str], keys: Iterable[bytes], recorded: Iterable[str]) -> bool:
    """Whether one of `found` identities belongs to a household erased from the folder."""
    return bool(fingerprints(found, keys) & set(recorded))
