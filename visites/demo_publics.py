"""The demo folder's publics: each fictional household's profile, the partners mobilised
around it, and households the programme meets again. Pure and deterministic, like `demo`.

The shares are plausible for the programme's territory, not statistics: one household in
three is a single-parent family, about a third belong to the PDALPD publics, the CAF and the
service social départemental are the partners most often mobilised, a CMP rarely. A few
values stay « not recorded », as in real files. Everything goes through the workflow's moves
(`apply`), so every generated case passes `check`.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from visites.config import Config
from visites.model import Case, Event, KnownCase
from visites.workflow import AddEvent, AddPartner, EndPartner, Move, SetProfile, apply

# Partner code → (weight, notes). The weight is how often a household mobilises it.
PARTNERS: dict[str, tuple[int, tuple[str, ...]]] = {
    "CAF": (40, ("Dossier APL mis à jour.", "Rappel de droits, prime d'activité.")),
    "CMS": (30, ("Assistante sociale de secteur informée, en accord avec le ménage.",)),
    "CCAS": (25, ("Aide alimentaire ponctuelle.", "Secours d'urgence pour l'énergie.")),
    "FSL": (15, ("Dossier FSL maintien déposé.", "Aide FSL accordée pour la dette.")),
    "france-travail": (15, ("Inscription et rendez-vous avec le conseiller.",)),
    "CPAM": (10, ("Ouverture des droits à la complémentaire santé.",)),
    "banque-de-france": (8, ("Dossier de surendettement déposé.",)),
    "PMI": (6, ("Suivi de la puéricultrice.",)),
    "CMP": (6, ("Orientation vers le CMP, avec l'accord de la personne.",)),
    "mission-locale": (5, ("Jeune adulte du ménage orienté vers la mission locale.",)),
    "association-tutelaire": (3, ("Mesure de protection en cours, lien avec le mandataire.",)),
    "autre": (5, ("Association de quartier.",)),
}
# Housing type by household size (the last line for 5 persons and more): (type, weight).
HOUSING_BY_SIZE = {
    1: (("T1", 40), ("T2", 50), ("T3", 10)),
    2: (("T1", 5), ("T2", 60), ("T3", 35)),
    3: (("T2", 20), ("T3", 60), ("T4", 20)),
    4: (("T3", 30), ("T4", 60), ("T5", 10)),
    5: (("T4", 50), ("T5", 40), ("T6+", 10)),
}
PRIORITY_SHARES = (("dalo", 0.12), ("accord-collectif", 0.2), ("pdalpd", 0.35))
# Typology by household size, two persons and more: (typology, weight).
COUPLE_OR_SINGLE_PARENT = {
    2: (("famille-monoparentale", 55), ("couple-sans-enfant", 40), ("autre", 5)),
    3: (("famille-monoparentale", 50), ("couple-avec-enfants", 45), ("autre", 5)),
}
MET_AGAIN = 0.05  # share of referrals of a household whose earlier case is closed


def profiled(
    rng: random.Random, case: Case, size: int, config: Config, earlier: list[Case]
) -> Case:
    """`case` with its household's profile; now and then, a household met again (same
    lease, name and address as an earlier closed case, linked as `deja_connu`)."""
    if earlier and rng.random() < MET_AGAIN:
        before = rng.choice(earlier[-300:])  # a recent one: the search stays short
        closed = before.closed_on
        if closed is not None and closed < case.referral.date:
            referral = case.referral.model_copy(
                update={"landlord_ref": before.referral.landlord_ref}
            )
            known = (*before.known_before, KnownCase(case_id=before.id, closed_on=closed))
            update = {"referral": referral, "household": before.household, "known_before": known}
            return case.model_copy(update=update)
    typology = _typology(rng, size)
    household = case.household
    if typology in ("couple-sans-enfant", "couple-avec-enfants") and len(household.members) > 1:
        partner = household.members[1].model_copy(
            update={"role": "conjoint(e)", "birth_year": None}
        )
        members = (household.members[0], partner, *household.members[2:])
        case = case.model_copy(
            update={"household": household.model_copy(update={"members": members})}
        )
    priorities = tuple(code for code, share in PRIORITY_SHARES if rng.random() < share)
    housing = HOUSING_BY_SIZE[min(size, 5)]
    profile = SetProfile(
        typology=typology if typology in config.lists.typologies else None,
        size=size if rng.random() < 0.97 else None,
        priorities=None if rng.random() < 0.08 else (priorities or ("aucun",)),
        housing=None if rng.random() < 0.05 else _weighted(rng, housing),
    )
    return apply(case, profile, config, case.referral.date)


def _typology(rng: random.Random, size: int) -> str | None:
    if rng.random() < 0.04:
        return None  # not recorded
    if size == 1:
        return "personne-seule" if rng.random() < 0.95 else "autre"
    return _weighted(rng, COUPLE_OR_SINGLE_PARENT[min(size, 3)])


def _weighted(rng: random.Random, choices: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([c for c, _ in choices], [w for _, w in choices])[0]


def partnered(rng: random.Random, case: Case, config: Config, today: date) -> Case:
    """`case` with the partners mobilised during its diagnostic and accompaniment: each one
    dated, most of them ended, some with a call to the partner in the timeline."""
    if case.adhesion is None:
        return case
    first = case.adhesion.date
    last = min(case.closed_on or today, today)
    if last <= first:
        return case
    count = rng.choices((0, 1, 2, 3), (25, 40, 25, 10))[0]
    codes = [code for code in PARTNERS if code in config.lists.partners]
    weights = [PARTNERS[code][0] for code in codes]
    chosen: list[str] = []
    while len(chosen) < min(count, len(codes)):
        code = rng.choices(codes, weights)[0]
        if code not in chosen:
            chosen.append(code)
    span = (last - first).days
    plans = sorted((first + timedelta(days=rng.randint(0, span)), code) for code in chosen)
    moves: list[Move] = []
    for start, code in plans:
        note = rng.choice(PARTNERS[code][1]) if rng.random() < 0.7 else None
        moves.append(AddPartner(code, start, note))
        end = start + timedelta(days=rng.randint(20, 180)) if rng.random() < 0.6 else None
        if end is not None and end <= last:
            moves.append(EndPartner(code, end))
        if rng.random() < 0.5:
            until = min(end or last, last)
            call = start + timedelta(days=rng.randint(0, (until - start).days))
            event = Event(date=call, kind="telephone", partner=code, author=case.referent,
                          note="Point avec le partenaire, en accord avec le ménage.")  # fmt: skip
            moves.append(AddEvent(event))
    for move in moves:
        case = apply(case, move, config, today)
    return case
