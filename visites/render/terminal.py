"""Rich tables and panels for the terminal."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from visites import dates
from visites.status import StatusRow

if TYPE_CHECKING:
    from rich.console import Console

    from visites.config import Config
    from visites.model import Case

from visites.phases import CONTEXT_LABELS  # noqa: E402  (re-exported for the renderers)

EVENT_LABELS = {
    "visite": "visite à domicile",
    "tripartite": "rencontre tripartite",
    "telephone": "appel téléphonique",
    "courrier": "courrier",
    "entretien": "entretien",
    "absence": "absence au rendez-vous",
}


def console(stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


SHORT_PHASES = {
    "referral": "reçue",
    "diagnostic": "diagnostic",
    "accompaniment": "accomp.",
    "closed": "clôturé",
}


def print_status(rows: list[StatusRow], today: date, title: str) -> None:
    from rich import box
    from rich.table import Table

    out = console()
    if not rows:
        out.print(f"{title} au {dates.short(today)} : aucun dossier.")
        return
    table = Table(
        title=f"{title} au {dates.short(today)}",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        padding=(0, 1),
        collapse_padding=True,
        show_edge=False,
    )
    table.add_column("Dossier", no_wrap=True)
    table.add_column("Ménage", ratio=3, min_width=12)
    table.add_column("Commune", ratio=2, min_width=8)
    table.add_column("Phase", no_wrap=True)
    table.add_column("Échéance", no_wrap=True)
    table.add_column("Retard", justify="right", no_wrap=True)
    table.add_column("Référent", ratio=2, min_width=9, overflow="fold")
    for r in rows:
        late = f"[bold red]{r.days_overdue} j[/]" if r.days_overdue else ""
        deadline = dates.short(r.due) if r.due else "—"
        if r.reason == "date butoir":  # the landlord's own date, earlier than the rule's
            deadline += "\n[dim](date butoir)[/]"
        phase = SHORT_PHASES[r.phase.value]
        table.add_row(r.id, r.household, r.commune, phase, deadline, late, r.referent or "")
    out.print(table)
    overdue = sum(1 for r in rows if r.days_overdue)
    out.print(f"{len(rows)} dossier(s), dont {overdue} en retard.")


def print_case(case: Case, config: Config, today: date) -> None:
    from rich.panel import Panel
    from rich.table import Table

    from visites.workflow import OUTCOME_LABELS, PHASE_LABELS, days_overdue, diagnostic_due, due

    out = console()
    referral, household = case.referral, case.household
    deadline = due(case, config)
    late = days_overdue(deadline, today)
    lines = [
        f"[bold]Phase[/] : {PHASE_LABELS[case.phase]}",
        f"[bold]Ménage[/] : {household.name} — {household.address or 'adresse non renseignée'}, "
        f"{household.commune}" + (f" — {household.phone}" if household.phone else ""),
        f"[bold]Référent(e)[/] : {case.referent or 'non désigné(e)'}",
        f"[bold]Orientation reçue[/] le {dates.short(referral.date)} "
        f"({CONTEXT_LABELS[referral.context.value]}), de {referral.referrer}"
        + (f", réf. bailleur {referral.landlord_ref}" if referral.landlord_ref else ""),
    ]
    if referral.reason:
        lines.append(f"[bold]Motif[/] : {referral.reason}")
    if referral.deadline:
        lines.append(f"[bold]Date butoir[/] : {dates.short(referral.deadline)}")
    for member in household.members:
        detail = ", ".join(str(x) for x in (member.role, member.birth_year) if x)
        lines.append(f"  • {member.first_name}" + (f" ({detail})" if detail else ""))
    if deadline:
        state = f"[bold red]en retard de {late} j[/]" if late else "à venir"
        lines.append(
            f"[bold]Échéance[/] : {dates.short(deadline.date)} — {deadline.reason} ({state})"
        )
    out.print(Panel("\n".join(lines), title=f"Dossier {case.id}", title_align="left"))

    steps = Table(title="Étapes", title_justify="left", show_header=True)
    steps.add_column("Étape")
    steps.add_column("Date", no_wrap=True)
    steps.add_column("Détail")
    if case.adhesion:
        shared = case.adhesion.consent_to_share
        detail = f"mode {case.adhesion.mode}" + (
            f" ; accord d'échanges avec le bailleur le {dates.short(shared)}"
            if shared
            else " ; pas d'accord d'échanges avec le bailleur"
        )
        if case.adhesion.notice:
            detail += f" ; notice RGPD remise le {dates.short(case.adhesion.notice)}"
        steps.add_row("Adhésion", dates.short(case.adhesion.date), detail)
    if case.refusal:
        steps.add_row("Refus", dates.short(case.refusal.date), case.refusal.reason or "")
    if case.adhesion:
        end = case.diagnostic_end
        limit = diagnostic_due(case, config)
        detail = f"à terminer au plus tard le {dates.short(limit)}"
        if end:
            detail = f"terminé le {dates.short(end)}" + (
                " (hors délai)" if limit and end > limit else ""
            )
        steps.add_row("Diagnostic", dates.short(case.adhesion.date), detail)
    if case.orientation:
        o = case.orientation
        detail = OUTCOME_LABELS[o.to] + (f" : {o.measure}" if o.measure else "")
        if o.recommendations:
            detail += f"\nPréconisations : {o.recommendations}"
        steps.add_row("Orientation", dates.short(o.date), detail)
    if case.accompaniment:
        a = case.accompaniment
        steps.add_row("Accompagnement", dates.short(a.start), "début")
        for renewal in a.renewals:
            steps.add_row("Renouvellement", dates.short(renewal.date), f"{renewal.months} mois")
    if case.closure:
        steps.add_row("Clôture", dates.short(case.closure.date), case.closure.outcome or "")
    if steps.row_count:
        out.print(steps)

    if case.diagnostic:
        d = case.diagnostic
        found = [f"[bold]Problématiques[/] : {', '.join(d.problems) or '—'}"]
        for label, text in (
            ("Situation", d.situation),
            ("Leviers", d.levers),
            ("Réseau", d.network),
        ):
            if text:
                found.append(f"[bold]{label}[/] : {text}")
        out.print(Panel("\n".join(found), title="Diagnostic social", title_align="left"))

    if case.events:
        timeline = Table(title="Événements", title_justify="left")
        timeline.add_column("Date", no_wrap=True)
        timeline.add_column("Type")
        timeline.add_column("Auteur")
        timeline.add_column("Note")
        for event in case.events:
            timeline.add_row(
                dates.short(event.date),
                EVENT_LABELS[event.kind],
                event.author or "",
                event.note or "",
            )
        out.print(timeline)


def print_problems(problems: list, brief: bool) -> None:
    """`file:line: message`, one a line, on stderr. Brief: a reminder to run check."""
    import sys

    for problem in problems:
        print(str(problem), file=sys.stderr)
    if brief and problems:
        files = len({problem.path for problem in problems})
        print(
            f"avertissement : {files} fichier(s) illisible(s) ignoré(s) ici ; "
            "détails : visites check",
            file=sys.stderr,
        )
