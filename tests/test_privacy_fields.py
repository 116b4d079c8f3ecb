"""Field classes: every field says whether the landlord may see it; what is shared comes from
those declarations only; confidential values never reach a landlord-facing output."""

from __future__ import annotations

import re
import typing
from datetime import date
from pathlib import Path

from privacy_support import (  # noqa: F401  (fixtures)
    LANDLORD_CASE_COMMANDS,
    LANDLORD_COMMANDS,
    MARKER,
    demo_fixture,
    demo_template_fixture,
    ok,
    plant,
    plant_folder,
)
from pydantic import BaseModel

from visites.model import CONFIDENTIAL, SHAREABLE, Case, field_classes, shareable_tree
from visites.store import Folder


def models(root: type[BaseModel] = Case) -> list[type[BaseModel]]:
    """`root` and every model reachable from its fields."""
    found = [root]
    for field in root.model_fields.values():
        for inner in _inner_types(field.annotation):
            if isinstance(inner, type) and issubclass(inner, BaseModel) and inner not in found:
                found += [m for m in models(inner) if m not in found]
    return found


def _inner_types(annotation: object) -> list[object]:
    args = typing.get_args(annotation)
    return [annotation, *(t for a in args for t in _inner_types(a))]


def test_the_walk_reaches_every_section() -> None:
    names = {m.__name__ for m in models()}
    assert {"Case", "Referral", "Household", "Member", "Adhesion", "Refusal", "Diagnostic",
            "Orientation", "Accompaniment", "Renewal", "Closure", "Event", "Appointment",
            "Cancellation"} <= names  # fmt: skip


def test_every_field_of_every_model_declares_its_class() -> None:
    for model in models():
        for name, field in model.model_fields.items():
            extra = field.json_schema_extra
            assert isinstance(extra, dict), f"{model.__name__}.{name} has no class"
            assert extra.get("share") in (SHAREABLE, CONFIDENTIAL), f"{model.__name__}.{name}"
            assert isinstance(extra.get("personal"), bool), f"{model.__name__}.{name}"
        assert len(field_classes(model)) == len(model.model_fields)


def test_the_issue_classes_hold() -> None:
    """Shareable: status, dates, orientation and measure, outcome. Confidential: the
    diagnostic content, problem domains, notes, health."""
    case = field_classes(Case)
    assert case["diagnostic"][0] == CONFIDENTIAL  # problem domains (health among them), texts
    assert case["evenements"][0] == CONFIDENTIAL  # notes
    for key in ("orientation", "cloture", "adhesion", "accompagnement", "anonymise_le"):
        assert case[key][0] == SHAREABLE
    from visites.model import Orientation, Referral

    assert field_classes(Orientation)["vers"] == (SHAREABLE, False)
    assert field_classes(Orientation)["mesure"] == (SHAREABLE, False)
    # Free text, so personal; shareable for the avis au bailleur, which needs the consent.
    assert field_classes(Orientation)["preconisations"] == (SHAREABLE, True)
    assert field_classes(Referral)["motif"] == (CONFIDENTIAL, True)


# Free-text fields kept by anonymisation: each is a code from a list, or needed by the bilan
# (referrals by referrer; the referent and referrer are staff of the partners, not the
# household). Any other free-text field must be declared personal.
KEPT_TEXTS = {
    ("Case", "id"), ("Case", "referent"), ("Referral", "prescripteur"),
    ("Household", "commune"), ("Orientation", "mesure"), ("Closure", "issue"),
    # An appointment's time of day; its attendee, a worker; its uid, a random identifier.
    ("Appointment", "heure"), ("Appointment", "par"), ("Appointment", "uid"),
    ("Handover", "nom"),  # a référent(e), like Case.referent: costs by referent count it
    ("Household", "typologie"), ("Involvement", "partenaire"), ("Event", "partenaire"),
    ("KnownCase", "dossier"),
    ("Objective", "problematique"),
}  # fmt: skip


def test_every_free_text_field_is_personal_unless_statistics_need_it() -> None:
    from privacy_support import _is_text

    for model in models():
        for name, field in model.model_fields.items():
            if not _is_text(field.annotation):
                continue
            extra = field.json_schema_extra
            assert isinstance(extra, dict)
            kept = (model.__name__, str(field.alias)) in KEPT_TEXTS
            assert extra["personal"] is not kept, f"{model.__name__}.{name}"


def test_shareable_tree_excludes_every_confidential_field(run, demo: Path) -> None:
    cases = demo
    for case in Folder(cases).load_all().cases:
        markers: list[str] = []
        planted = plant(case, markers)
        assert markers, case.id
        shared = repr(shareable_tree(planted))
        assert MARKER not in shared, case.id
        # and the shareable part is there
        assert case.household.commune in shared and case.referral.date == date.fromisoformat(
            str(shareable_tree(planted)["orientation_recue"]["date"])
        )


def test_no_confidential_marker_reaches_a_landlord_output(run, demo: Path) -> None:
    cases = demo
    markers = plant_folder(cases)
    assert len(markers) >= 30
    # The objectives' texts and notes are among them (the demo has accompaniment projects).
    planted = Folder(cases).load_all().cases
    texts = [o.text for c in planted for o in c.objectives]
    notes = [s.note for c in planted for o in c.objectives for s in o.statuses]
    assert len(texts) >= 4 and all(t and t.startswith(MARKER) for t in texts)
    assert notes and all(n and n.startswith(MARKER) for n in notes)
    # The markers are really in the files (the association's own view shows them)…
    shown = "".join(ok(run, "show", case_id) for case_id in Folder(cases).case_ids())
    assert sum(marker in shown for marker in markers) >= len(markers) // 2
    # …and in no output meant for the landlord.
    # The bilan counts households per problem domain: a domain's name (here a marker) may
    # appear there, as a row of counts, never next to a household.
    domains = set(Folder(cases).config.lists.problem_domains) & set(markers)
    assert domains
    for command in LANDLORD_COMMANDS:
        result = run(*command)
        assert result.code == 0, (command, result.err)
        text = result.out + result.err
        if command[0] == "bilan":
            for domain in domains:
                text = text.replace(domain, "")
            # A narrow terminal column cuts a domain's name with « … »: a cut of a domain.
            text = re.sub(r"[^\s<>|;]+…", lambda m: "" if any(
                d.startswith(m.group()[:-1]) for d in domains) else m.group(), text)  # fmt: skip
        assert MARKER not in text, command
    for command in LANDLORD_CASE_COMMANDS:
        produced = 0
        for case_id in Folder(cases).case_ids():
            result = run(*(case_id if arg == "{id}" else arg for arg in command))
            assert result.code in (0, 1), (command, case_id, result.err)
            assert MARKER not in result.out + result.err, (command, case_id)
            produced += result.code == 0
        assert produced >= 2, command  # the command did produce documents
