"""The three-way merge of case trees and the description of a change: pure rules."""

from __future__ import annotations

from datetime import date

from visites.merge.casediff import CONFLICT_KEY, describe, merge, with_conflicts


def base_case() -> dict:
    return {
        "id": "2015-007",
        "orientation_recue": {"date": date(2015, 1, 12), "contexte": "entree", "prescripteur": "X"},
        "menage": {"nom": "Famille Essai", "commune": "Nantes", "telephone": "06 00 00 00 00"},
        "referent": "Référente A",
        "evenements": [{"date": date(2015, 1, 20), "type": "tripartite"}],
    }


def event(day: int, kind: str = "visite") -> dict:
    return {"date": date(2015, 2, day), "type": kind}


def test_events_added_on_both_sides_are_all_kept_in_date_order() -> None:
    base = base_case()
    ours = {**base, "evenements": [*base["evenements"], event(10), event(3, "telephone")]}
    theirs = {**base, "evenements": [*base["evenements"], event(5, "courrier")]}
    merged = merge(base, ours, theirs)
    assert merged.conflicts == []
    days = [(e["date"].day, e["type"]) for e in merged.tree["evenements"]]
    assert days == [(20, "tripartite"), (3, "telephone"), (5, "courrier"), (10, "visite")]


def test_the_same_event_added_on_both_sides_is_kept_once() -> None:
    base = base_case()
    ours = {**base, "evenements": [*base["evenements"], event(3)]}
    theirs = {**base, "evenements": [*base["evenements"], event(3)]}
    assert merge(base, ours, theirs).tree["evenements"] == ours["evenements"]


def test_an_event_removed_on_one_side_stays_removed() -> None:
    base = {**base_case(), "evenements": [event(1), event(2)]}
    ours = {**base, "evenements": [event(1)]}
    theirs = {**base, "evenements": [event(1), event(2), event(9)]}
    assert merge(base, ours, theirs).tree["evenements"] == [event(1), event(9)]


def test_different_fields_changed_on_each_side_are_both_kept() -> None:
    base = base_case()
    ours = {**base, "referent": "Référente B"}
    theirs = {**base, "menage": {**base["menage"], "telephone": "06 11 11 11 11"}}
    merged = merge(base, ours, theirs)
    assert merged.conflicts == []
    assert merged.tree["referent"] == "Référente B"
    assert merged.tree["menage"]["telephone"] == "06 11 11 11 11"


def test_one_field_changed_to_two_values_is_a_conflict_keeping_both() -> None:
    base = base_case()
    ours = {**base, "orientation": {"date": date(2015, 3, 10), "vers": "accompagnement"}}
    theirs = {**base, "orientation": {"date": date(2015, 3, 10), "vers": "droit-commun"}}
    merged = merge(base, ours, theirs)
    assert [(c.path, c.ours, c.theirs) for c in merged.conflicts] == [
        ("orientation.vers", "accompagnement", "droit-commun")
    ]
    written = with_conflicts(merged.tree, merged.conflicts)
    assert list(written)[0] == CONFLICT_KEY
    assert written[CONFLICT_KEY][0]["distante"] == "droit-commun"
    assert written["orientation"]["vers"] == "accompagnement"


def test_a_field_removed_on_one_side_and_changed_on_the_other_is_a_conflict() -> None:
    base = base_case()
    ours = {k: v for k, v in base.items() if k != "referent"}
    theirs = {**base, "referent": "Référente C"}
    assert [c.path for c in merge(base, ours, theirs).conflicts] == ["referent"]


def test_two_households_under_one_new_number_conflict_as_a_whole() -> None:
    ours = base_case()
    theirs = {**base_case(), "menage": {"nom": "Autre ménage", "commune": "Rezé"}}
    merged = merge(None, ours, theirs)
    assert merged.tree == ours
    assert merged.conflicts[0].theirs == theirs


def test_describe_names_the_workflow_step_and_the_fields() -> None:
    old = base_case()
    new = {
        **old,
        "referent": "Référente B",
        "menage": {**old["menage"], "telephone": "06 22"},
        "orientation": {"date": date(2015, 3, 10), "vers": "accompagnement"},
        "evenements": [*old["evenements"], event(3)],
    }
    assert describe(old, new) == [
        "ménage › téléphone modifié",
        "référent(e) : Référente B",
        "événement ajouté (visite à domicile, 03/02/2015)",
        "orientation : accompagnement personnalisé",
    ]
    assert describe(None, new) == ["dossier créé (orientation reçue)"]
