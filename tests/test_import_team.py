"""Imports in a team: real clones of a bare remote. An erasure on one clone keeps the
household out of an import on another; the fingerprints and the keys merge as unions; a
sync never drops a fingerprint."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from tests.import_kit import PHASES, phases_workbook
from tests.team_kit import make_team
from visites import origins
from visites.merge import plan as syncplan
from visites.merge import registry
from visites.merge import verify as syncverify


def test_an_erasure_on_one_clone_keeps_the_household_out_of_an_import_on_another(
    tmp_path: Path,
) -> None:
    a, b = make_team(tmp_path, ("a", "b"), cases=1)
    sheet = phases_workbook(tmp_path / "suivi-2015.xlsx")
    done = json.loads(a.ok("import", str(sheet), "--json"))
    assert len(done["created"]) == 8
    a.ok("sync")
    b.ok("sync")
    assert (a.path / "registre.cle").read_bytes() == (b.path / "registre.cle").read_bytes()
    refused = next(c["id"] for c in done["created"] if c["row"] == 4)
    b.ok("delete", refused, "--yes")
    b.ok("sync")
    a.ok("sync")
    assert not (a.path / f"{refused}.yaml").exists()
    again = json.loads(a.ok("import", str(sheet), "--json"))
    assert again["created"] == [] and again["erased"] == [{"row": 4, "imported": True}]
    assert len(again["present"]) == 7
    registry_text = (a.path / "registre.yaml").read_text(encoding="utf-8")
    assert "LOG-44" not in registry_text and "Famille" not in registry_text


def test_two_clones_of_an_older_folder_each_making_a_key_keep_both_and_recognise_both(
    tmp_path: Path,
) -> None:
    a, b = make_team(tmp_path, ("a", "b"), cases=1)
    # A folder made before the key: no registre.cle, no union rule for it.
    (a.path / "registre.cle").unlink()
    attributes = a.path / ".gitattributes"
    kept = [line for line in attributes.read_text().splitlines(keepends=True)
            if "registre.cle" not in line and "Clé du registre" not in line]  # fmt: skip
    attributes.write_text("".join(kept))
    a.git("commit", "-qam", "dossier ancien")
    a.ok("sync")
    b.ok("sync")
    assert not (b.path / "registre.cle").exists()
    sheet = phases_workbook(tmp_path / "suivi.xlsx", PHASES[:2])
    for clone in (a, b):
        clone.ok("import", str(sheet))
    a.ok("sync")  # the same two rows imported on both: B's sync renumbers, or merges them
    b.ok("sync")
    a.ok("sync")
    ids = sorted(p.stem for p in a.path.glob("2015-*.yaml"))
    # Each clone erases one household offline: each makes a key of its own.
    a.ok("delete", ids[-1], "--yes")
    b.ok("delete", ids[-2], "--yes")
    assert (a.path / "registre.cle").read_text() != (b.path / "registre.cle").read_text()
    a.ok("sync")
    synced = b.run("sync")
    assert synced.code == 0, synced.err
    a.ok("sync")
    for clone in (a, b):
        keys = (clone.path / "registre.cle").read_text()
        assert "<<<<<<<" not in keys and len([k for k in keys.splitlines()
                                             if not k.startswith("#")]) == 2  # fmt: skip
    again = json.loads(b.ok("import", str(sheet), "--json"))
    assert again["created"] == []
    assert len(again["erased"]) + len(again["present"]) == 2


def test_fingerprints_merge_as_a_union_and_a_merge_that_drops_one_is_refused() -> None:
    key = bytes(32)
    one = registry.Fingerprint(origins.keyed("bail|log 1|2015-01-05", key), registry.IMPORTED)
    two = registry.Fingerprint(origins.keyed("menage|x|2015-01-05", key), registry.TYPED)
    stone = registry.Tombstone("2015-001", registry.DELETED, date(2015, 3, 1))
    ours = registry.render(registry.Registry((stone,), (), (one,)))
    theirs = registry.render(registry.Registry((), (), (two,)))
    assert registry.parse(ours).fingerprints == (one,)  # read back as written
    union = ours + "".join(line + "\n" for line in theirs.splitlines() if line.startswith("-"))
    merged = registry.parse(union)
    assert set(merged.fingerprints) == {one, two} and merged.tombstones == (stone,)
    assert registry.render(merged).count("type: empreinte") == 2
    lost = syncplan.Version(
        "registre.yaml", registry.HEADER.encode(), ours.encode(), theirs.encode(), ours.encode()
    )
    assert "1 empreinte(s) de ménage effacé" in syncverify.verify([lost]).losses[0].what


def test_a_keyed_fingerprint_cannot_be_found_without_the_key() -> None:
    """A plain hash of a lease would be found by trying the hundred thousand leases; the
    keyed one is not, without the folder's key."""
    import hashlib

    identity = origins.identities("LOG-44-01234", "Famille Essai", date(2015, 1, 12))
    assert identity == ["bail|log 44 01234|2015-01-12", "menage|famille essai|2015-01-12"]
    secret, other = b"k" * 32, b"j" * 32
    recorded = origins.fingerprints(identity, [secret])
    assert origins.erased(identity, [secret], recorded)
    assert not origins.erased(identity, [other], recorded)
    plain = hashlib.sha256(identity[0].encode()).hexdigest()[: origins.DIGEST_LENGTH]
    assert plain not in recorded
