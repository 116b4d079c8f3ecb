"""What `visites sync` tells the user: each line names the case, its file and the command to
run next. Never a household's name (these lines end up in shared terminals and logs)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from visites.services.sync.engine import SyncReport


def _ids(names: list[str], limit: int = 8) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" et {len(names) - limit} autre(s)" if len(names) > limit else "")


def lines(report: SyncReport) -> tuple[list[str], list[str]]:
    """(lines for stdout, lines for stderr)."""
    out: list[str] = []
    err: list[str] = []
    if report.aborted:
        out.append(
            "Fusion en cours abandonnée : vos enregistrements sont intacts, rien n'a été "
            "envoyé. Relancez « visites sync » pour synchroniser."
        )
        return out, err
    for name in report.read_only:
        err.append(
            f"avertissement : {name} est en lecture seule : mis à jour quand même par la "
            "synchronisation (modifications de l'équipe), et remis en lecture seule"
        )
    for warning in report.warnings:
        err.append(f"avertissement : {warning}")
    if report.committed:
        out.append(f"Enregistré d'abord dans l'historique : {_ids(report.committed)}.")
    for moved in report.renumbered:
        out.append(
            f"votre dossier {moved.old} devient {moved.new} : un·e collègue a déjà "
            f"enregistré {moved.old} (fichier {moved.new}.yaml ; voir : visites show "
            f"{moved.new})."
        )
        if moved.courriers:
            out.append(
                f"  Documents déjà produits sous l'ancien numéro {moved.old} (ils le "
                f"portent : à refaire avec visites document {moved.new} …) : "
                f"{' ; '.join(moved.courriers)}."
            )
    for moved in report.received_renumbered:
        out.append(
            f"le dossier {moved.old} reçu de l'équipe devient {moved.new} : {moved.old} "
            "nomme déjà le ménage que l'équipe connaissait sous ce numéro (l'historique du "
            f"dépôt de l'équipe a été réécrit) (fichier {moved.new}.yaml ; voir : visites show "
            f"{moved.new})."
        )
        if moved.courriers:
            out.append(
                f"  Documents produits sous l'ancien numéro {moved.old} pour ce ménage (à "
                f"refaire avec visites document {moved.new} …) : {' ; '.join(moved.courriers)}."
            )
    for old, new in report.kept_as_new:
        out.append(
            f"Vos modifications de {old} sont gardées dans le nouveau dossier {new} "
            f"(fichier {new}.yaml ; voir : visites show {new}) ; {old} reste effacé."
        )
    for case_id in report.accepted:
        out.append(
            f"Effacement de {case_id} accepté : les modifications de ce dossier sont "
            f"abandonnées ({case_id}.yaml)."
        )
    if report.ok:
        if report.concluded:
            got = f"fusion terminée, {_received(report) or 'rien d’autre reçu'}"
        else:
            got = _received(report) or "rien de nouveau reçu"
        out.append(f"Synchronisé avec {report.remote} : {got}, envoi fait.")
        return out, err
    _stops(report, err)
    return out, err


def _received(report: SyncReport) -> str:
    if not report.received:
        return ""
    return f"modifications reçues et fusionnées ({_ids(report.received)})"


def _stops(report: SyncReport, err: list[str]) -> None:
    if report.losses:
        err.append(
            "Fusion annulée : le résultat aurait perdu du travail. Votre dossier est "
            "remis comme avant la synchronisation (vos enregistrements sont gardés), "
            "rien n'a été envoyé."
        )
        for loss in report.losses[:10]:
            err.append(f"  {loss.path} : {loss.what}")
        err.append(
            "Relancez « visites sync » ; si cela se reproduit, signalez-le avec ces "
            "lignes (visites check pour vérifier le dossier)."
        )
        return
    if report.erasures:
        err.append(
            "Synchronisation arrêtée, rien n'a été envoyé : un dossier effacé d'un côté "
            "a été modifié de l'autre."
        )
        for conflict in report.erasures:
            case_id = conflict.case_id
            err.append(f"  {conflict.sentence()} (fichier {conflict.path}).")
            err.append(
                f"    pour garder l'effacement (les modifications de ce dossier sont "
                f"abandonnées) : visites sync --accept-erasure {case_id}"
            )
            err.append(
                f"    pour garder la version modifiée dans un nouveau dossier (le ménage "
                f"revient, avec ses données, sous un autre numéro ; {case_id} reste "
                f"effacé) : visites sync --keep-as-new {case_id}"
            )
        return
    if report.case_conflicts or report.text_conflicts:
        err.append("Fusion arrêtée : conflit(s) à trancher, rien n'a été envoyé.")
    for conflict in report.case_conflicts:
        for name, here, there, why in conflict.fields or [("?", "?", "?", "")]:
            err.append(
                f"  conflit : dossier {conflict.case_id} ({conflict.path}), champ "
                f"« {name} »{f' ({why})' if why else ''} : ici « {here} », chez un·e collègue "
                f"« {there} »"
            )
        err.append(
            f"    pour trancher : visites edit {conflict.case_id} (gardez la bonne valeur "
            "et supprimez la section conflit_visites), puis visites sync"
        )
    for path, hunks in report.text_conflicts:
        for hunk in hunks:
            err.append(
                f"  conflit : {path}, ligne {hunk.line} : ici « {hunk.ours} », chez un·e "
                f"collègue « {hunk.theirs} »"
            )
        err.append(
            f"    pour trancher : visites sync --mine {path} (garder votre version) ou "
            f"visites sync --theirs {path} (garder celle de l'équipe), ou corrigez le "
            "fichier (retirez les lignes <<<<<<<, ======= et >>>>>>>) puis visites sync"
        )
    if report.invalid:
        if not (report.case_conflicts or report.text_conflicts):
            err.append(
                "Fusion faite mais pas encore enregistrée : des fichiers sont invalides, "
                "rien n'a été envoyé."
            )
        for problem in report.invalid:
            err.append(f"  {problem}")
        err.append("    pour corriger : visites edit ID (ou le fichier nommé), puis visites sync")
    if report.case_conflicts or report.text_conflicts or report.invalid:
        err.append("Pour tout abandonner et revenir à votre version : visites sync --abort.")
