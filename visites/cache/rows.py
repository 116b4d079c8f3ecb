"""The index's rows: its columns by name, and what one case file held (`Entry`) to and from
a row of SQLite cells. Every cell read back is checked: the index is never trusted input.

Pure of pydantic and YAML, like `index`: a warm `visites status` imports neither.
"""

from __future__ import annotations

import json
from datetime import date

from visites.agenda import AgendaItem
from visites.phases import Phase
from visites.referents import HandoverDates
from visites.status import Summary

COLUMNS = (
    "name", "ino", "size", "mtime", "ctime", "digest", "problems", "phase", "due", "reason",
    "household", "commune", "referent", "first_year", "last_year", "latest", "handovers",
    "reference_key", "home_key",
)  # fmt: skip
# The agenda table: each case's appointments and deadlines ahead (agenda.AgendaItem), so
# that the agenda, the overlap check of `rdv` and status read rows, not case files.
AGENDA = ("name", *AgendaItem._fields[1:])
# A row is a plain tuple (the cheapest thing SQLite returns); its cells are read by name.
AT = {column: position for position, column in enumerate(COLUMNS)}
KEY = slice(AT["ino"], AT["ctime"] + 1)  # the file's identity: ino, size, mtime, ctime
DIGEST, PROBLEMS = AT["digest"], AT["problems"]
# Read for every row: the identity, the problems and the phase. The rest is fetched for the
# rows a command needs (Index.fill).
IDENTITY = COLUMNS[: AT["phase"] + 1]


Problems = tuple[tuple[int | None, str, str], ...]


class Entry:
    """What one case file held: its problems (line, message, severity) and, when it is a
    valid case, its summary, the years it touches and its model (JSON, when just parsed).

    An entry read from the index keeps its row (every column) and decodes it on first use.
    A row that does not decode raises ValueError (the caller rebuilds the index)."""

    __slots__ = ("key", "digest", "model", "agenda", "_row", "_problems", "_summary", "_span")

    def __init__(
        self,
        key: tuple[int, int, int, int],
        digest: bytes | None,
        problems: Problems,
        summary: Summary | None,
        span: tuple[int, int | None] | None,
        model: str | None = None,
    ) -> None:
        self.key, self.digest, self.model = key, digest, model
        self.agenda: tuple[AgendaItem, ...] = ()  # when just parsed: the rows to write
        self._row: tuple | None = None
        self._problems, self._summary, self._span = problems, summary, span

    @classmethod
    def from_row(cls, row: tuple) -> Entry:
        """The entry of a whole row (COLUMNS), decoded on use."""
        digest = row[DIGEST]
        entry = cls(row[KEY], digest if digest is None else bytes(digest), (), None, None)
        entry._row = row
        return entry

    def check(self, key: tuple, digest: object) -> None:
        """Raise ValueError unless `key` and `digest` are the ones this entry was read with."""
        if key != self.key or (digest if digest is None else bytes(digest)) != self.digest:  # type: ignore[arg-type]
            raise ValueError("index modifié pendant la lecture")

    @property
    def phase(self) -> str | None:
        """The phase's code, without decoding the rest; None for an invalid file."""
        if self._row is not None:
            return self._row[AT["phase"]]
        return self._summary.phase.value if self._summary else None

    @property
    def problems(self) -> Problems:
        if self._row is not None and not self._problems:
            self._problems = problems_of(self._row)
        return self._problems

    @property
    def summary(self) -> Summary | None:
        if self._row is not None and self._summary is None and self.phase is not None:
            self._summary = _summary(self._row)
        return self._summary

    @property
    def span(self) -> tuple[int, int | None] | None:
        if self._row is not None and self._span is None and self.phase is not None:
            first, last = self._row[AT["first_year"]], self._row[AT["last_year"]]
            if not isinstance(first, int) or not (last is None or isinstance(last, int)):
                raise ValueError("index : années illisibles")
            self._span = (first, last)
        return self._span


def problems_of(row: tuple) -> Problems:
    """The problems of a row (its identity columns suffice); raises ValueError when they do
    not decode."""
    found = row[PROBLEMS]
    if found is None:
        return ()
    try:
        return tuple((line, str(text), str(severity)) for line, text, severity in json.loads(found))
    except (TypeError, ValueError) as error:
        raise ValueError("index : problèmes illisibles") from error


def same_identity(row: tuple, known: tuple) -> bool:
    """Whether two rows of one file (two reads of the index) name the same version of it."""
    return row[KEY] == known[KEY] and row[DIGEST] == known[DIGEST]


def row_of(name: str, entry: Entry) -> dict[str, object]:
    """The cells of a new row, by column name."""
    s, (ino, size, mtime, ctime) = entry.summary, entry.key
    first, last = entry.span if entry.span else (None, None)
    return {
        "name": name,
        "ino": ino,
        "size": size,
        "mtime": mtime,
        "ctime": ctime,
        "digest": entry.digest,
        "problems": json.dumps(entry.problems, ensure_ascii=False) if entry.problems else None,
        "phase": s.phase.value if s else None,
        "due": s.due.isoformat() if s and s.due else None,
        "reason": s.reason if s else None,
        "household": s.household if s else None,
        "commune": s.commune if s else None,
        "referent": s.referent if s else None,
        "first_year": first,
        "last_year": last,
        "latest": s.latest.isoformat() if s else None,
        "handovers": _handovers_json(s.handovers) if s and s.handovers else None,
        "reference_key": s.reference_key if s else None,
        "home_key": s.home_key if s else None,
    }


def agenda_row(item: AgendaItem) -> tuple:
    return (item.case_id, item.day.isoformat(), *item[2:])


def agenda_item(row: tuple) -> AgendaItem:
    """A row of the agenda table, checked: the index is never trusted input."""
    name, day, time, kind_of_row, kind, number, duration, person, state, uid = row
    try:
        item = AgendaItem(name, date.fromisoformat(day), time, kind_of_row, kind, number,
                          duration, person, state, uid)  # fmt: skip
    except (TypeError, ValueError) as error:
        raise ValueError("index : agenda illisible") from error
    texts = (item.case_id, item.type, item.kind)
    optional = (item.time, item.person, item.state, item.uid)
    numbers = (item.number, item.duration)
    if not all(isinstance(t, str) for t in texts) or not all(
        t is None or isinstance(t, str) for t in optional
    ) or not all(n is None or isinstance(n, int) for n in numbers):  # fmt: skip
        raise ValueError("index : agenda illisible")
    return item


def _handovers_json(handovers: tuple[HandoverDates, ...]) -> str:
    """The handovers as [name, since, until or null] triples (ISO dates)."""
    return json.dumps(
        [[h.name, h.since.isoformat(), h.until.isoformat() if h.until else None]
         for h in handovers],
        ensure_ascii=False,
    )  # fmt: skip


def _handovers(cell: object) -> tuple[HandoverDates, ...]:
    if cell is None:
        return ()
    if not isinstance(cell, str):
        raise TypeError("index : transferts illisibles")
    found = []
    for name, since, until in json.loads(cell):
        if not isinstance(name, str):
            raise TypeError("index : transferts illisibles")
        end = date.fromisoformat(until) if until is not None else None
        found.append(HandoverDates(name, date.fromisoformat(since), end))
    return tuple(found)


def _summary(row: tuple) -> Summary:
    due = row[AT["due"]]
    try:
        return Summary(
            id=row[AT["name"]],
            phase=Phase(row[AT["phase"]]),
            due=date.fromisoformat(due) if due is not None else None,
            reason=_text(row[AT["reason"]]),
            household=_text(row[AT["household"]], required=True),
            commune=_text(row[AT["commune"]], required=True),
            referent=_text(row[AT["referent"]]),
            latest=date.fromisoformat(_text(row[AT["latest"]], required=True) or ""),
            handovers=_handovers(row[AT["handovers"]]),
            reference_key=_text(row[AT["reference_key"]]),
            home_key=_text(row[AT["home_key"]]),
        )
    except TypeError as error:
        raise ValueError("index : résumé illisible") from error


def _text(value: object, required: bool = False) -> str | None:
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise TypeError("index : texte attendu")
    return value
