"""The pure rules of team sync (syncplan, registry) and the small pieces around them: what a
merge must keep, how erased IDs are recorded, what `check` is told about merge leftovers."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.team_kit import make_team
from visites.merge import plan as syncplan
from visites.merge import registry
from visites.merge import verify as syncverify

BASE = b"id: 2015-001\nmenage:\n  nom: Famille Base\n  commune: Nantes\n"
EVENT_A = b"evenements:\n- date: 2015-02-03\n  type: visite\n  note: A\n"
EVENT_B = b"evenements:\n- date: 2015-02-05\n  type: telephone\n  note: B\n"
BOTH = (
    b"evenements:\n- date: 2015-02-03\n  type: visite\n  note: A\n"
    b"- date: 2015-02-05\n  type: telephone\n  note: B\n"
)


def version(
    merged: bytes | None, ours: bytes = BASE + EVENT_A, theirs: bytes = BASE + EVENT_B
) -> syncplan.Version:
    return syncplan.Version("2015-001.yaml", BASE, ours, theirs, merged)


def test_a_merge_with_both_sides_events_passes_the_verification() -> None:
    assert syncverify.verify([version(BASE + BOTH)]).ok


def test_a_merge_without_the_colleagues_event_is_a_loss_naming_it() -> None:
    verdict = syncverify.verify([version(BASE + EVENT_A)])
    assert [loss.what for loss in verdict.losses] == [
        "l'événement du 05/02/2015 (telephone) ajouté chez un·e collègue"
    ]


def test_a_field_changed_on_one_side_must_keep_that_sides_value() -> None:
    ours = BASE.replace(b"commune: Nantes", b"commune: Rez\xc3\xa9")
    theirs = BASE + EVENT_B
    lost = syncverify.verify([version(BASE + EVENT_B, ours, theirs)])
    assert [loss.what for loss in lost.losses] == ["le champ « menage.commune » modifié ici"]
    assert syncverify.verify([version(ours + EVENT_B, ours, theirs)]).ok


def test_an_anonymisation_mixed_with_a_colleagues_change_is_a_loss() -> None:
    anonymised = (
        b"id: 2015-001\nanonymise_le: 2015-03-12\nmenage:\n  nom: anonymis\xc3\xa9\n"
        b"  commune: Nantes\n"
    )
    merged = anonymised + b"evenements:\n- date: 2015-02-05\n  type: telephone\n  note: B\n"
    verdict = syncverify.verify([version(merged, anonymised, BASE + EVENT_B)])
    assert "l'anonymisation faite ici" in verdict.losses[0].what


def test_a_file_changed_on_one_side_only_must_be_that_side_byte_for_byte() -> None:
    assert syncverify.verify([version(BASE + EVENT_B, BASE, BASE + EVENT_B)]).ok
    assert not syncverify.verify([version(BASE, BASE, BASE + EVENT_B)]).ok
    assert not syncverify.verify([version(None, BASE, BASE + EVENT_B)]).ok


def test_a_registry_merged_as_a_union_keeps_every_tombstone() -> None:
    ours = registry.render(
        registry.Registry((registry.Tombstone("2015-003", "suppression", date(2015, 3, 12)),))
    )
    theirs = registry.render(
        registry.Registry((registry.Tombstone("2015-009", "anonymisation", date(2016, 1, 5)),))
    )
    union = ours + "".join(line + "\n" for line in theirs.splitlines() if line.startswith("-"))
    parsed = registry.parse(union)
    assert {t.case_id for t in parsed.tombstones} == {"2015-003", "2015-009"}
    assert registry.render(parsed).count("\n- ") == 2  # sorted, unique, still one list
    lost = syncplan.Version(
        "registre.yaml", registry.HEADER.encode(), ours.encode(), theirs.encode(), ours.encode()
    )
    assert "l'effacement de 2015-009" in syncverify.verify([lost]).losses[0].what


def test_registry_lines_of_another_kind_are_kept_as_they_are() -> None:
    text = registry.HEADER + '- {type: reference-importee, empreinte: "ab12"}\n'
    stones = registry.with_tombstones(
        registry.parse(text), [registry.Tombstone("2015-001", "suppression", date(2015, 1, 2))]
    )
    rendered = registry.render(stones)
    assert '- {type: reference-importee, empreinte: "ab12"}' in rendered
    assert registry.numbers_in(rendered, 2015) == [1]


def test_text_conflicts_give_both_sides_and_the_line() -> None:
    text = "a: 1\n<<<<<<< HEAD\nb: 2\n=======\nb: 3\n>>>>>>> 1234abc\nc: 4\n"
    assert syncplan.text_conflicts(text) == [syncplan.Hunk(2, "b: 2", "b: 3")]


def test_two_clones_deleting_two_cases_merge_their_registries_without_conflict(
    tmp_path: Path,
) -> None:
    a, b = make_team(tmp_path, ("a", "b"), cases=4)
    for clone, case_id in ((a, "2015-001"), (b, "2015-004")):
        clone.ok("close", case_id, "--date", "2015-02-01")
        clone.ok("delete", case_id, "--yes")
    a.ok("sync")
    synced = b.run("sync")
    assert synced.code == 0, synced.err
    a.ok("sync")
    for clone in (a, b):
        text = (clone.path / "registre.yaml").read_text()
        assert "<<<<<<<" not in text
        assert {t.case_id for t in registry.parse(text).tombstones} == {"2015-001", "2015-004"}
    assert a.referral("Famille Suivante") == "2015-005"


def test_check_reports_merge_files_left_by_a_kill_and_sync_removes_them(tmp_path: Path) -> None:
    a, _ = make_team(tmp_path, ("a", "b"), cases=1)
    leftover = a.path / ".merge_file_a1B2c3"
    leftover.write_text("id: 2015-001\nmenage:\n  nom: Famille Départ 1\n")
    checked = a.run("check")
    assert f"{leftover}: avertissement : copie temporaire d'une fusion interrompue" in (
        checked.out + checked.err
    )
    assert "« visites sync » la supprime" in checked.out + checked.err
    assert a.run("sync").code == 0
    assert not leftover.exists()


def test_sync_abort_gives_back_the_workers_own_state(tmp_path: Path) -> None:
    a, b = make_team(tmp_path, ("a", "b"), cases=1)
    for clone in (a, b):
        clone.ok("consent", "2015-001", "--date", "2015-01-20")
    a.ok("orient", "2015-001", "--to", "sans-suite", "--date", "2015-03-10")
    b.ok("orient", "2015-001", "--to", "remobilisation", "--date", "2015-03-10")
    a.ok("sync")
    before = b.head(), b.text("2015-001")
    assert b.run("sync").code == 1
    assert "conflit_visites" in b.text("2015-001")
    aborted = b.run("sync", "--abort")
    assert aborted.code == 0 and "abandonnée" in aborted.out
    assert (b.head(), b.text("2015-001")) == before and b.leftovers() == []
    nothing = b.run("sync", "--abort")
    assert nothing.code == 1 and "aucune fusion en cours" in nothing.err


@pytest.mark.parametrize("option", ["--accept-erasure", "--keep-as-new"])
def test_an_erasure_option_for_a_case_without_conflict_is_refused(
    tmp_path: Path, option: str
) -> None:
    a, b = make_team(tmp_path, ("a", "b"), cases=1)
    a.event("2015-001", "note")
    a.ok("sync")
    b.event("2015-001", "autre note", day="2015-02-05")
    refused = b.run("sync", option, "2015-001")
    assert refused.code == 1 and "aucun conflit d'effacement" in refused.err
    assert b.run("sync").code == 0


def test_a_fresh_clone_gets_the_merge_rule_of_the_registry(tmp_path: Path) -> None:
    """A folder made before the registry: its first sync adds the union rule, committed."""
    a, b = make_team(tmp_path, ("a", "b"), cases=1)
    attributes = a.path / ".gitattributes"
    attributes.write_text(attributes.read_text().replace("registre.yaml merge=union\n", ""))
    a.git("commit", "-qam", "ancien dossier", "--no-verify")
    synced = a.run("sync")
    assert synced.code == 0, synced.err
    assert "registre.yaml merge=union" in attributes.read_text()
    assert a.git("status", "--porcelain") == ""


def test_a_hand_change_not_committed_stops_the_sync_naming_the_file(tmp_path: Path) -> None:
    a, _ = make_team(tmp_path, ("a", "b"), cases=1)
    path = a.path / "2015-001.yaml"
    path.write_text(path.read_text().replace("commune: Nantes", "commune: Rezé"))
    head = a.head()
    stopped = a.run("sync")
    assert stopped.code == 1
    assert "modifications non enregistrées (2015-001.yaml)" in stopped.err
    assert "git add 2015-001.yaml puis git commit" in stopped.err
    assert "git restore 2015-001.yaml" in stopped.err and "visites sync" in stopped.err
    assert a.head() == head and "Rezé" in path.read_text()
