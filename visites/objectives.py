"""The accompaniment project: objectives agreed with the household and their dated statuses.
Pure functions over the models; the moves that change them are in `workflow`."""

from __future__ import annotations

from datetime import date

from visites.model import OBJECTIVE_STATUSES, Objective, StatusChange

DONE = ("atteint", "partiel")  # what the bilan counts as reached


def status_code(text: str) -> str:
    """The status code typed after --status, matched as every list (`visites.matching`: case
    and accents aside, the label understood). ValueError (French) for anything else."""
    from visites.matching import objective_status

    return objective_status(text, OBJECTIVE_STATUSES)


def status_on(objective: Objective, day: date | None = None) -> StatusChange | None:
    """The objective's status at the end of `day` (its latest without a day); None when it
    was set later."""
    known = [s for s in objective.statuses if day is None or s.date <= day]
    return known[-1] if known else None


def still_open(objectives: tuple[Objective, ...]) -> list[Objective]:
    """The objectives whose latest status is « en cours »."""
    return [o for o in objectives if o.statuses[-1].status == "en-cours"]
