"""A fictional case folder for demonstrations and benchmarks: households generated through the
same workflow moves as real cases, so every generated case obeys the rules that `check` applies.

Pure: `households(...)` yields Case objects; the CLI writes them through the store.
Deterministic: one `random.Random(seed)`, no clock. `today` is the day the folder is "seen"
from (the CLI passes 31 December of the last year): nothing is dated after it, cases whose
next step would fall after it stay open, and some of those are overdue on that day.
All names are fictional: common French surnames and first names drawn at random.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

from visites import demo_publics
from visites.config import Config
from visites.dates import add_months
from visites.errors import UsageProblem
from visites.model import Case, Context, Event, Household, Member, Outcome, Referral
from visites.workflow import (
    AddEvent,
    AddObjective,
    Close,
    Consent,
    Diagnose,
    Move,
    Orient,
    RecordFinances,
    Refuse,
    Renew,
    SetObjective,
    apply,
)

SURNAMES = (
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
    "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier", "Dupont", "Lambert", "Bonnet",
    "François", "Legrand", "Garnier", "Faure", "Rousseau", "Blanc", "Guérin", "Henry", "Perrin",
    "Morin", "Mathieu", "Clément", "Gauthier", "Fontaine", "Chevalier", "Robin", "Le Gall",
    "Le Goff", "Guillou", "Le Roux", "Tessier", "Jaouen", "Kerhervé", "Benali", "Diallo",
    "Nguyen", "Haddad", "Traoré", "Da Silva", "Ferreira", "Mahé", "Rialland", "Chauvet",
)  # fmt: skip
FIRST_NAMES = (
    "Julie", "Enzo", "Nadia", "Karim", "Sophie", "Lucas", "Inès", "Mohamed", "Camille", "Hugo",
    "Léa", "Yanis", "Manon", "Nathan", "Chloé", "Sarah", "Louis", "Aïcha", "Paul", "Emma",
    "Fatou", "Jean", "Monique", "Gérard", "Sylvie", "Kevin", "Océane", "Mamadou", "Linh", "Rose",
)  # fmt: skip
REFERENTS = ("Claire Dubois", "Karim Benali", "Anne Le Floch", "Thomas Guérin", "Aurélie Mahé")
REFERRERS = (
    "Mme Lebrun, chargée de clientèle", "M. Hamon, chargé de clientèle",
    "Mme Perrot, conseillère sociale", "M. Caillaud, gestionnaire",
    "Mme Bouvier, conseillère sociale",
)  # fmt: skip
STREETS = (
    "rue des Olivettes", "boulevard Jean-Jaurès", "rue de la Convention", "allée des Tilleuls",
    "rue du Port", "avenue de la Gare", "rue des Mimosas", "place du Marché", "rue Pasteur",
    "rue de la Loire", "impasse des Lilas", "rue Jules-Verne",
)  # fmt: skip
REASONS = (
    "Retards de loyer répétés, ménage difficile à joindre.",
    "Entrée dans les lieux d'un ménage sortant d'hébergement : besoin d'appui à l'installation.",
    "Plaintes du voisinage et logement mal entretenu.",
    "Dette de loyer en hausse depuis une perte d'emploi.",
    "Ménage isolé, courriers sans réponse.",
    "Sur-occupation signalée, demande de mutation en attente.",
    "Impayés d'énergie et de loyer, situation administrative à régulariser.",
)  # fmt: skip
SITUATIONS = (
    "Mère seule avec deux enfants, revenus du RSA, dette de loyer de {amount} €.",
    "Couple avec un enfant, perte d'emploi récente, dette de {amount} €.",
    "Personne seule, problèmes de santé, dossier de droits incomplet, dette de {amount} €.",
    "Famille de cinq personnes, logement trop petit, retard de {amount} € sur les charges.",
)  # fmt: skip
LEVERS = (
    "Très investie dans la scolarité des enfants ; accepte un suivi budgétaire.",
    "Souhaite reprendre un emploi ; bonne relation avec le bailleur.",
    "Demande de l'aide ; accepte les rendez-vous à domicile.",
)  # fmt: skip
NETWORKS = (
    "Sœur à Rezé ; pas de suivi par le service social de secteur.",
    "Suivi ponctuel par le CCAS ; famille éloignée.",
    "Aucun lien porteur identifié ; voisine aidante.",
)  # fmt: skip
EVENT_NOTES = {
    "visite": ("Visite à domicile ; point budget.", "Visite : état du logement, démarches FSL."),
    "telephone": (
        "Appel pour fixer le prochain rendez-vous.",
        "Point téléphonique sur le dossier.",
    ),
    "courrier": ("Courrier de rappel du rendez-vous.", "Envoi du dossier de demande d'aide."),
    "entretien": ("Entretien au bureau de l'association.", "Entretien : plan d'apurement."),
    "absence": ("Absent(e) au rendez-vous, nouveau rendez-vous proposé.",),
}
# An objective of the accompaniment project for a problem domain (pairs, not a label table:
# these are the households' own words, invented).
OBJECTIVE_TEXTS = dict((
    ("budget-impayes", "Reprendre le paiement du loyer courant"),
    ("dettes", "Monter un dossier de surendettement"),
    ("acces-aux-droits", "Ouvrir les droits CAF (APL, prime d'activité)"),
    ("emploi", "S'inscrire à France Travail et suivre un atelier CV"),
    ("sante", "Reprendre un suivi médical"),
    ("liens-familiaux", "Renouer le contact avec la famille"),
    ("isolement", "Participer à une activité du centre social"),
    ("usage-du-logement", "Entretenir le logement avec la conseillère"),
    ("voisinage", "Apaiser les relations avec le voisinage"),
    ("demarches-administratives", "Mettre à jour les papiers administratifs"),
))  # fmt: skip
# The final status of an objective at the closure, with weights (« en cours »: left open).
FINAL_STATUSES = (("atteint", 4), ("partiel", 3), ("non-atteint", 2), ("abandonne", 1),
                  ("en-cours", 1))  # fmt: skip
# Closing outcome after an accompaniment, with weights.
ACCOMPANIMENT_OUTCOMES = (
    ("maintien dans le logement", 5), ("plan d'apurement", 3), ("relogement ou mutation", 1),
    ("relais droit commun", 1), ("rupture ou abandon", 1), ("départ du logement", 1),
)  # fmt: skip


def parse_years(text: str) -> tuple[int, int]:
    """`2015-2026` or `2015` → (first, last). A UsageProblem when it is neither."""
    first, _, last = text.partition("-")
    try:
        span = (int(first), int(last or first))
    except ValueError:
        raise UsageProblem(f"--years « {text} » : écrivez 2015-2026 ou 2015") from None
    if not 1900 < span[0] <= span[1] < 2100:
        raise UsageProblem(f"--years « {text} » : années croissantes entre 1901 et 2099")
    return span


def households(
    count: int, seed: int, first_year: int, last_year: int, config: Config, today: date
) -> Iterator[Case]:
    """`count` fictional cases referred between `first_year` and `last_year`, in ID order."""
    rng = random.Random(seed)
    # The profile, the partners and the households met again draw from their own stream:
    # the rest of each case is the same as without them.
    publics_rng = random.Random(f"{seed}/publics")
    earlier: list[Case] = []  # closed cases, for the households referred again
    years = list(range(first_year, last_year + 1))
    for index, year in enumerate(years):
        # Spread evenly; the first years take the remainder.
        in_year = count // len(years) + (1 if index < count % len(years) else 0)
        end = min(date(year, 12, 31), today)
        if end < date(year, 1, 1):
            continue
        span = (end - date(year, 1, 1)).days
        plans = [(rng.randint(0, span), None) for _ in range(in_year)]
        if year == years[-1]:
            # The period's last cases were left waiting: one referral without an answer,
            # one diagnostic, one accompaniment past its review, whatever the count.
            late = [(max(0, span - ago), stop) for ago, stop in ((45, 0), (130, 1), (330, 3))]
            plans[-len(late) :] = late[-len(plans) :] if plans else []
        width = max(3, len(str(in_year)))
        for seq, (offset, stop) in enumerate(sorted(plans, key=lambda p: p[0]), start=1):
            referred = date(year, 1, 1) + timedelta(days=offset)
            case_id = f"{year}-{seq:0{width}d}"
            case = _household(rng, case_id, referred, config, today, stop, publics_rng, earlier)
            if case.closed_on is not None:
                earlier.append(case)
            yield case


def _household(
    rng: random.Random,
    case_id: str,
    referred: date,
    config: Config,
    today: date,
    stop: int | None = None,
    publics_rng: random.Random | None = None,
    earlier: list[Case] | None = None,
) -> Case:
    lists = config.lists
    referent = rng.choice(lists.referent_names() or REFERENTS)
    surname = rng.choice(SURNAMES)
    if rng.random() < 0.15:
        surname = f"{surname}-{rng.choice(SURNAMES)}"
    size = rng.choice((1, 1, 2, 2, 3, 3, 4, 5))
    members = [Member(first_name=rng.choice(FIRST_NAMES), role="titulaire du bail")]
    for _ in range(size - 1):
        born = referred.year - rng.randint(1, 17)
        members.append(Member(first_name=rng.choice(FIRST_NAMES), role="enfant", birth_year=born))
    context = Context.ENTREE if rng.random() < 0.4 else Context.EN_COURS
    deadline = None
    if context is Context.ENTREE and rng.random() < 0.3:
        deadline = referred + timedelta(days=rng.randint(20, 50))
    # Nantes weighs most, as in the project document's territory.
    commune = lists.communes[0] if rng.random() < 0.35 else rng.choice(lists.communes)
    case = Case(
        id=case_id,
        referral=Referral(
            date=referred,
            context=context,
            referrer=rng.choice(REFERRERS),
            landlord_ref=f"LOG-44-{rng.randint(0, 99999):05d}",
            reason=rng.choice(REASONS),
            deadline=deadline,
        ),
        household=Household(
            name=("Famille " if size > 1 else rng.choice(("Mme ", "M. "))) + surname,
            members=tuple(members),
            address=f"{rng.randint(1, 120)} {rng.choice(STREETS)}, apt {rng.randint(1, 80)}",
            commune=commune,
            phone=f"06 00 00 {rng.randint(0, 99):02d} {rng.randint(0, 99):02d}",
        ),
        referent=referent,
    )
    if publics_rng is None:
        return _life(rng, case, config, today, stop)
    case = demo_publics.profiled(publics_rng, case, size, config, earlier or [])
    return demo_publics.partnered(publics_rng, _life(rng, case, config, today, stop), config, today)


def _life(rng: random.Random, case: Case, config: Config, today: date, stop: int | None) -> Case:
    """The case's steps, each through `apply`; the story stops at `today`, or after `stop`
    steps of the workflow (then the case waits: soon overdue)."""
    referent = case.referent or REFERENTS[0]
    moves: list[tuple[date, Move]] = []
    start = case.referral.date
    # A few recent cases stall: nobody recorded the next step (they show up overdue).
    if stop is None and (today - start).days < 200 and rng.random() < 0.08:
        stop = rng.randint(0, 3)

    def event(when: date, kind: str) -> None:
        note = rng.choice(EVENT_NOTES.get(kind, ("Rencontre tripartite avec le bailleur.",)))
        moves.append((when, AddEvent(Event(date=when, kind=kind, author=referent, note=note))))

    def visits(first: date, last: date) -> None:
        when = first + timedelta(days=rng.randint(10, 30))
        while when < last:
            event(when, rng.choice(("visite", "visite", "telephone", "entretien", "absence")))
            when += timedelta(days=rng.randint(30, 90))

    answer = start + timedelta(days=rng.randint(3, 40))  # sometimes past the 30 days
    draw = 0.5 if stop is not None else rng.random()  # a waiting case has said yes
    if draw < 0.03:
        moves.append((answer, Close(answer, "rupture ou abandon")))  # never reached
        return _played(case, moves, config, today, stop)
    event(start + timedelta(days=rng.randint(1, 5)), "courrier")
    if draw < 0.13:
        moves.append((answer, Refuse(answer, "Le ménage ne souhaite pas d'accompagnement.")))
        return _played(case, moves, config, today, stop)
    mode = "tripartite" if rng.random() < 0.7 else "courrier"
    share = answer if rng.random() < 0.85 else None
    moves.append((answer, Consent(answer, mode, share)))
    if mode == "tripartite":
        event(answer, "tripartite")
    # The project and the finances draw from their own generator: the rest of the folder is
    # the same as without them.
    money = random.Random(f"{case.id} {case.referral.date}")
    debt = Decimal(money.randint(2, 40) * 100) if money.random() < 0.6 else None  # None: no debt
    moves.append((answer, RecordFinances(
        answer, arrears=debt, resources=Decimal(money.randint(60, 220) * 10),
        rent=Decimal(money.randint(35, 75) * 10),
        housing_benefit=Decimal(money.randint(0, 30) * 10) if money.random() < 0.7 else None,
    )))  # fmt: skip
    problems = tuple(rng.sample(config.lists.problem_domains, rng.randint(1, 4)))
    situation = rng.choice(SITUATIONS).format(amount=rng.randint(3, 40) * 100)
    oriented = answer + timedelta(days=rng.randint(25, 80))  # some late diagnostics
    diagnosed = answer + timedelta(days=rng.randint(7, 24))
    moves.append(
        (diagnosed, Diagnose(problems, situation, rng.choice(LEVERS), rng.choice(NETWORKS)))
    )
    visits(answer, oriented)
    draw = 0.9 if stop == 3 else rng.random()  # a waiting accompaniment when asked for
    if draw < 0.1:
        moves.append(
            (oriented, Orient(oriented, Outcome.SANS_SUITE, outcome="maintien dans le logement"))
        )
        return _played(case, moves, config, today, stop)
    if draw < 0.2:
        moves.append((oriented, Orient(oriented, Outcome.REMOBILISATION)))
        return _played(case, moves, config, today, stop)
    if draw < 0.45:
        measure = rng.choice(config.lists.measures)
        orient = Orient(oriented, Outcome.DROIT_COMMUN, measure, f"Demande de mesure {measure}.",
                        outcome="relais droit commun")  # fmt: skip
        moves.append((oriented, orient))
        return _played(case, moves, config, today, stop)
    recommendations = "Plan d'apurement avec le bailleur, dossier FSL, lien avec l'emploi."
    moves.append((oriented, Orient(oriented, Outcome.ACCOMPAGNEMENT, None, recommendations)))
    goals = problems[: money.randint(1, 3)]
    for problem in goals:
        text = OBJECTIVE_TEXTS.get(problem, f"Avancer sur : {problem}")
        moves.append((oriented, AddObjective(oriented, text, problem)))
    periods = rng.choice((1, 1, 2, 2, 3, 4))  # the first period, then renewals
    last, review = oriented, add_months(oriented, config.deadlines.review_months)
    for _ in range(periods - 1):
        visits(last, review)
        renewed = review - timedelta(days=rng.randint(0, 10))
        months = rng.choice((3, 6, 6))
        moves.append((renewed, Renew(renewed, months)))
        if debt:
            debt = (debt * Decimal(money.randint(30, 100)) / 100).quantize(Decimal(1))
            plan = True if money.random() < 0.4 else None
            moves.append((renewed, RecordFinances(renewed, arrears=debt, repayment_plan=plan)))
        last, review = renewed, add_months(renewed, months)
    visits(last, review)
    closed = review - timedelta(days=rng.randint(0, 20))
    statuses, chances = zip(*FINAL_STATUSES, strict=True)
    for number, _ in enumerate(goals, start=1):
        status = money.choices(statuses, chances)[0]
        if status != "en-cours":
            moves.append((closed, SetObjective(number, closed, status)))
    if debt:
        final = Decimal(0) if money.random() < 0.4 else debt
        moves.append((closed, RecordFinances(closed, arrears=final)))
    outcomes, weights = zip(*ACCOMPANIMENT_OUTCOMES, strict=True)
    moves.append((closed, Close(closed, rng.choices(outcomes, weights)[0])))
    return _played(case, moves, config, today, stop)


def _played(
    case: Case, moves: list[tuple[date, Move]], config: Config, today: date, stop: int | None
) -> Case:
    """Apply the moves in date order until `today` (or until the case stalls)."""
    steps = 0
    for when, move in sorted(moves, key=lambda m: m[0]):  # stable: same-day order is kept
        if when > today:
            break
        if not isinstance(move, AddEvent | AddObjective | SetObjective | RecordFinances):
            steps += 1
            if stop is not None and steps > stop:
                break
        case = apply(case, move, config, today)
    return case
