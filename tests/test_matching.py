"""Typed list values matched to their canonical form: case, accents, spaces and hyphens aside,
French labels understood, a near miss refused with « Vouliez-vous dire … ? »."""

from __future__ import annotations

import pytest

from visites import matching
from visites.config import Config, Lists
from visites.matching import Unmatched
from visites.phases import Context, Outcome, Phase
from visites.vocabulary import PHASE_LABELS, PHASE_OPTION_NAMES

LISTS = Config().lists


def lists_with_referents(*entries: object) -> Lists:
    return Lists.model_validate({"referents": list(entries)}, by_alias=True, by_name=False)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("coueron", "Couëron"), ("COUËRON", "Couëron"), ("Saint Nazaire", "Saint-Nazaire"),
     ("saint-sebastien sur loire", "Saint-Sébastien-sur-Loire"), ("  nantes ", "Nantes"),
     ("La chapelle sur erdre", "La Chapelle-sur-Erdre")],
)  # fmt: skip
def test_a_commune_is_stored_in_its_canonical_form(typed: str, stored: str) -> None:
    assert matching.commune(typed, LISTS) == matching.Matched(stored)


def test_a_near_miss_is_refused_with_the_closest_values() -> None:
    with pytest.raises(Unmatched) as refused:
        matching.commune("Couéronn", LISTS)
    assert refused.value.suggestions == ("Couëron",)
    assert "Vouliez-vous dire « Couëron » ?" in str(refused.value)
    with pytest.raises(Unmatched, match="« Saint-Nazaire »"):
        matching.commune("nazaire", LISTS)  # a word of the name


def test_an_open_list_takes_a_new_value_only_when_told() -> None:
    with pytest.raises(Unmatched) as refused:
        matching.commune("Bouaye", LISTS)
    assert refused.value.open_list and not refused.value.suggestions
    how = "ajoutez --new-commune pour l'inscrire dans visites.yaml"
    assert refused.value.message(how) == (
        "commune « Bouaye » hors de la liste de visites.yaml (nouvelle valeur : " + how + ")"
    )
    assert matching.commune(" Bouaye  ", LISTS, new=True) == matching.Matched("Bouaye", True)
    # a value the list has is never « new », however it is typed
    assert matching.commune("rezé", LISTS, new=True) == matching.Matched("Rezé", False)


@pytest.mark.parametrize(
    ("typed", "code"),
    [("santé", "sante"), ("Emploi", "emploi"), ("Accès aux droits", "acces-aux-droits"),
     ("budget / impayés", "budget-impayes"), ("usage du logement", "usage-du-logement")],
)  # fmt: skip
def test_a_problem_domain_is_matched_by_its_code_or_its_label(typed: str, code: str) -> None:
    assert matching.problem_domain(typed, LISTS) == code


def test_a_closed_list_refuses_with_its_values_or_the_closest_one() -> None:
    with pytest.raises(Unmatched, match="Vouliez-vous dire « Santé » ?"):
        matching.problem_domain("snté", LISTS)
    with pytest.raises(Unmatched, match="valeurs possibles : Budget / impayés, Dettes"):
        matching.problem_domain("loisirs", LISTS)
    assert matching.measure("asll", LISTS) == "ASLL"
    assert matching.closure_outcome("Maintien dans le logement", LISTS) == (
        "maintien dans le logement"
    )


def test_codes_of_the_workflow_are_matched_by_their_french_words() -> None:
    assert matching.context("entrée") is Context.ENTREE
    assert matching.context("en cours de location") is Context.EN_COURS
    assert matching.orientation("droit commun") is Outcome.DROIT_COMMUN
    assert matching.orientation("DC") is Outcome.DROIT_COMMUN
    assert matching.orientation("Accompagnement personnalisé") is Outcome.ACCOMPAGNEMENT
    assert matching.mode("Courrier") == "courrier"
    assert matching.event_kind("téléphone", ("visite", "telephone")) == "telephone"
    assert matching.event_kind("Visite à domicile", ("visite", "telephone")) == "visite"


def test_the_phases_have_one_set_of_french_names_and_the_codes_as_aliases() -> None:
    for phase in Phase:
        # the option's name and the label on screen are the same words
        assert matching.normalise(PHASE_OPTION_NAMES[phase]) == matching.normalise(
            PHASE_LABELS[phase]
        )
        assert matching.phase(PHASE_OPTION_NAMES[phase]) is phase
        assert matching.phase(PHASE_LABELS[phase]) is phase
        assert matching.phase(phase.value) is phase  # the English code
    with pytest.raises(Unmatched, match="Vouliez-vous dire « diagnostic » ?"):
        matching.phase("diagnostique")


def test_an_empty_list_of_referents_checks_nothing() -> None:
    assert matching.referent("Quiconque", LISTS) == matching.Matched("Quiconque")


def test_an_inactive_referent_is_refused_for_a_new_case() -> None:
    lists = lists_with_referents(
        "Claire Dubois", {"nom": "Karim Benali", "actif": False}, {"nom": "Zoé Martin"}
    )
    assert matching.referent("claire dubois", lists).value == "Claire Dubois"
    with pytest.raises(Unmatched) as refused:
        matching.referent("karim benali", lists)
    assert refused.value.inactive
    assert str(refused.value) == (
        "référent(e) « Karim Benali » marqué(e) inactif(ve) dans visites.yaml ; "
        "actif(ve)s : Claire Dubois, Zoé Martin"
    )
    with pytest.raises(Unmatched, match="Vouliez-vous dire « Claire Dubois » ?"):
        matching.referent("Clare Dubois", lists)


def test_a_referent_search_takes_a_part_of_a_name() -> None:
    known = ["Claire Dubois", "Karim Benali", "Claire Morin"]
    assert matching.referents_named("karim", known) == ["Karim Benali"]
    assert matching.referents_named("CLAIRE", known) == ["Claire Dubois", "Claire Morin"]
    assert matching.referents_named("claire dubois", known) == ["Claire Dubois"]
    with pytest.raises(Unmatched) as refused:
        matching.referents_named("Zoé", known)
    assert "connu(e)s : Claire Dubois, Claire Morin, Karim Benali" in str(refused.value)


def test_control_characters_are_never_matched() -> None:
    with pytest.raises(ValueError, match="caractère de contrôle"):
        matching.commune("Nantes\x1b[2J", LISTS)
