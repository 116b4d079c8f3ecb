"""A model-based simulation of a team (issue #11), shared by tests/test_team_simulation.py (a
small run) and bench/team.py (the long run).

Three clones of a bare remote do random operations through the real CLI: new-referral,
consent, event, orient, close, delete, anonymise, a hand edit of a field (committed by hand),
and sync, some of them SIGKILLed at a random point. A sync that stops is resolved by a
scripted rule (an erasure is accepted; a field conflict keeps the local value; a merged case
the workflow refuses keeps the local workflow and every event). At the end every clone syncs
until nothing moves, and the checker compares every clone with the model of what was written:

1. every event ever written (its note carries a unique marker) is present, once, in the
   household it was written for; the events of households erased afterwards are absent from
   every clone's working tree;
2. no ID ever named two households (over every state the remote held after a sync);
3. deleted cases stay deleted, anonymised ones stay anonymised, and no personal value of an
   erased household (its name, a phone typed by hand, its notes) came back;
4. all clones are identical, their working trees clean, and `visites check` passes.
"""

from __future__ import annotations

import collections
import os
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.team_kit import KILL_POINTS, Clone, Outcome, git, make_team, tree

OPERATIONS = {  # relative weights
    "new-referral": 6,
    "consent": 4,
    "event": 12,
    "orient": 3,
    "close": 3,
    "delete": 1,
    "anonymise": 1,
    "hand-edit": 3,
    "sync": 9,
}
OUTCOMES = ("maintien dans le logement", "relogement ou mutation", "rupture ou abandon")
NAME = re.compile(r"(?m)^  nom: (.+)$")


@dataclass
class Household:
    name: str
    erased: str | None = None  # "suppression" or "anonymisation", once done on some clone
    phones: set[str] = field(default_factory=set)  # personal values typed by hand
    referents: set[str] = field(default_factory=set)


@dataclass
class Written:
    marker: str
    household: str


@dataclass
class Figures:
    counts: collections.Counter = field(default_factory=collections.Counter)

    def __getitem__(self, key: str) -> int:
        return self.counts[key]

    def add(self, key: str, n: int = 1) -> None:
        self.counts[key] += n


class Simulation:
    """One seeded run. `run()` does the operations and the final syncs, `check()` returns
    every broken promise (empty: all hold) and fills `figures`."""

    def __init__(
        self,
        root: Path,
        seed: int,
        operations: int,
        kill_rate: float = 0.3,
        clones: int = 3,
        kill_points: tuple[str, ...] | None = None,
        initial: int = 6,
    ) -> None:
        self.root = root
        self.rng = random.Random(seed)
        self.operations = operations
        self.kill_rate = kill_rate
        self.kill_points = kill_points or (
            *KILL_POINTS,
            "driver:2",
            "driver:3",
            "after:0.3",
            "after:0.8",
            "after:1.5",
        )
        names = tuple("abcdefgh"[:clones])
        self.clones = make_team(root, names, cases=initial)
        self.remote = root / "equipe.git"
        self.households = {
            f"Famille Départ {n + 1}": Household(f"Famille Départ {n + 1}") for n in range(initial)
        }
        self.events: list[Written] = []
        self.ids_named: dict[str, set[str]] = collections.defaultdict(set)
        self.gone: dict[str, int] = {}  # ID → snapshot number where it disappeared
        self.anonymised_ids: set[str] = set()
        self.snapshots = 0
        self.figures = Figures()
        self.broken: list[str] = []

    # ------------------------------------------------------------------ the run

    def run(self) -> None:
        for _ in range(self.operations):
            clone = self.rng.choice(self.clones)
            operation = self.rng.choices(list(OPERATIONS), list(OPERATIONS.values()))[0]
            self.figures.add("operations")
            self.figures.add(f"op {operation}")
            getattr(self, "_" + operation.replace("-", "_"))(clone)
        self._settle()

    def _settle(self) -> None:
        """Every clone syncs until a whole round changes nothing."""
        for _ in range(12):
            heads = set()
            for clone in self.clones:
                self._sync_until_done(clone)  # no more kills
                heads.add(clone.head())
            remote = git(self.remote, "rev-parse", "HEAD").strip()
            if heads == {remote}:
                return
        self.broken.append("the clones never agreed after 12 rounds of sync")

    # ------------------------------------------------------------------ operations

    def _cases(self, clone: Clone) -> dict[str, dict[str, Any]]:
        """The readable cases of a clone: ID → YAML tree."""
        from visites import yamlio

        found = {}
        for path in sorted(clone.path.glob("[0-9][0-9][0-9][0-9]-*.yaml")):
            try:
                tree_ = yamlio.load(path.read_text(encoding="utf-8"))
            except yamlio.YamlProblem:
                continue
            if isinstance(tree_, dict):
                found[path.stem] = tree_
        return found

    def _pick(self, clone: Clone, wanted: Any) -> tuple[str, dict] | None:
        """A random case of the clone for which `wanted` holds; never one a stopped merge left
        undecided (every command refuses it until the next sync)."""
        cases = [
            (i, t)
            for i, t in self._cases(clone).items()
            if "conflit_visites" not in t and wanted(t)
        ]
        return self.rng.choice(cases) if cases else None

    def _act(self, clone: Clone, *args: str) -> bool:
        """One command as the user types it. False when it was refused (exit 1) because what
        the user read came from a half-done merge that the command itself rolled back (read
        right after a killed sync: the case, or the step it had there, e.g. a closure received
        from a colleague): a clear message, nothing written."""
        done = clone.run(*args)
        if done.code == 0:
            return True
        if done.code == 1 and "interrompue pendant la fusion" in done.err:
            self.figures.add("commands on a half-merged case, refused after the rollback")
            return False
        raise AssertionError(f"visites {' '.join(args)} → {done.code}\n{done.out}{done.err}")

    def _new_referral(self, clone: Clone) -> None:
        name = f"Famille M{len(self.households) + 1:04d}"
        day = f"2015-01-{self.rng.randint(2, 12):02d}"
        clone.referral(name, day=day)
        self.households[name] = Household(name)
        self.figures.add("cases")

    def _consent(self, clone: Clone) -> None:
        picked = self._pick(clone, lambda t: _phase(t) == "referral")
        if picked:
            self._act(clone, "consent", picked[0], "--date", "2015-01-20")

    def _event(self, clone: Clone) -> None:
        picked = self._pick(clone, lambda t: not t.get("anonymise_le"))
        if not picked:
            return
        case_id, tree_ = picked
        marker = f"marqueur-E{len(self.events) + 1:05d}"
        household = tree_["menage"]["nom"]
        day = f"2015-02-{self.rng.randint(1, 28):02d}"
        kind = self.rng.choice(["visite", "telephone", "entretien", "courrier"])
        note = f"{marker} ({clone.name})"
        if not self._act(clone, "event", case_id, "--kind", kind, "--date", day, "--note", note):
            return
        self.events.append(Written(marker, household))
        self.figures.add("events")

    def _orient(self, clone: Clone) -> None:
        picked = self._pick(clone, lambda t: _phase(t) == "diagnostic")
        if picked:
            to = self.rng.choice(["accompagnement", "sans-suite", "remobilisation"])
            self._act(clone, "orient", picked[0], "--to", to, "--date", "2015-03-10")

    def _close(self, clone: Clone) -> None:
        picked = self._pick(
            clone, lambda t: _phase(t) in ("referral", "diagnostic", "accompaniment")
        )
        if picked:
            outcome = self.rng.choice(OUTCOMES)
            self._act(clone, "close", picked[0], "--date", "2015-06-30", "--outcome", outcome)

    def _delete(self, clone: Clone) -> None:
        picked = self._pick(clone, lambda t: _phase(t) == "closed")
        if picked:
            case_id, tree_ = picked
            if self._act(clone, "delete", case_id, "--yes"):
                self._erased(tree_, "suppression")

    def _anonymise(self, clone: Clone) -> None:
        picked = self._pick(clone, lambda t: _phase(t) == "closed" and not t.get("anonymise_le"))
        if picked:
            case_id, tree_ = picked
            if self._act(clone, "anonymise", case_id, "--yes", "--today", "2016-01-15"):
                self._erased(tree_, "anonymisation")

    def _erased(self, tree_: dict, how: str) -> None:
        name = tree_["menage"]["nom"]
        household = self.households.get(name)
        if household is not None and household.erased != "suppression":
            household.erased = how
            self.figures.add(f"erased ({how})")

    def _hand_edit(self, clone: Clone) -> None:
        """A field changed by hand in the file, committed with git (the hook checks it)."""
        picked = self._pick(clone, lambda t: not t.get("anonymise_le"))
        if not picked:
            return
        case_id, tree_ = picked
        household = self.households[tree_["menage"]["nom"]]
        path = clone.path / f"{case_id}.yaml"
        text = path.read_text(encoding="utf-8")
        serial = self.figures["hand edits"] + 1
        if self.rng.random() < 0.5:
            phone = f"06 00 {serial // 100 % 100:02d} {serial % 100:02d} {self.rng.randint(10, 99)}"
            if "  telephone: " in text:
                text = re.sub(r"(?m)^  telephone: .*$", f"  telephone: {phone}", text)
            else:
                text = text.replace("  commune: ", f"  telephone: {phone}\n  commune: ", 1)
            typed = household.phones, phone
        else:
            referent = f"Référente R{serial}"
            if re.search(r"(?m)^referent: ", text):
                text = re.sub(r"(?m)^referent: .*$", f"referent: {referent}", text)
            else:
                text = text.replace("\nmenage:", f"\nreferent: {referent}\nmenage:", 1)
            typed = household.referents, referent
        # After a killed sync git itself refuses to commit (its locks are still there): the
        # user goes through visites, which clears them.
        if self.rng.random() < 0.5 and not clone.leftovers():
            path.write_text(text, encoding="utf-8")  # in any editor, committed with git
            clone.git("commit", "-q", "-m", f"{case_id}: correction à la main", "--", path.name)
        else:  # `visites edit`, the editor saving the new text
            saved = self.root / "editor-text.yaml"
            saved.write_text(text, encoding="utf-8")
            editor = self.root / "editor.py"
            editor.write_text(f"import shutil, sys\nshutil.copyfile({str(saved)!r}, sys.argv[1])\n")
            previous = os.environ.get("EDITOR")
            os.environ["EDITOR"] = f"{sys.executable} {editor}"
            try:
                if not self._act(clone, "edit", case_id):
                    return  # refused, nothing written: the value was never typed in
            finally:
                os.environ.pop("EDITOR")
                if previous is not None:
                    os.environ["EDITOR"] = previous
        typed[0].add(typed[1])  # only once it is in the file
        self.figures.add("hand edits")

    def _sync(self, clone: Clone) -> None:
        if self.rng.random() < self.kill_rate:
            point = self.rng.choice(self.kill_points)
            if clone.sync_killed(point, self.root):
                self.figures.add("kills")
                self.figures.add(f"kill {point.split(':')[0]}")
            return
        self._sync_until_done(clone)

    def _sync_until_done(self, clone: Clone) -> None:
        """`visites sync`, and the scripted rule while it stops."""
        options: list[str] = []
        for _ in range(8):
            done = clone.run("sync", *options)
            self.figures.add("syncs")
            self._count_messages(done)
            if done.code == 0:
                self._snapshot()
                return
            options = self._rule(clone, done)
        self.broken.append(f"sync on {clone.name} never succeeded: {done.err[-800:]}")

    def _count_messages(self, done: Outcome) -> None:
        self.figures.add("renumbered", done.out.count(" devient "))
        for word, key in (
            ("--accept-erasure", "stops: erasure against a change"),
            ("conflit : dossier", "stops: field conflict"),
            ("Fusion annulée", "merges aborted by the verification"),
            ("interrompue pendant la fusion", "killed merges rolled back"),
        ):
            if word in done.err:
                self.figures.add(key)

    def _rule(self, clone: Clone, done: Outcome) -> list[str]:
        """What the scripted user does after a stopped sync: the options of the next one."""
        erased = re.findall(r"visites sync --accept-erasure (\S+)", done.err)
        if erased:
            return [x for case_id in dict.fromkeys(erased) for x in ("--accept-erasure", case_id)]
        for case_id in dict.fromkeys(re.findall(r"dossier (\d{4}-\d{3,6}) \(", done.err)):
            self._resolve_by_hand(clone, case_id)
        for case_id in dict.fromkeys(re.findall(r"/(\d{4}-\d{3,6})\.yaml:\d*:? ", done.err)):
            self._resolve_by_hand(clone, case_id)
        if (
            "Fusion annulée" not in done.err
            and "conflit" not in done.err
            and ("invalide" not in done.err)
        ):
            self.broken.append(f"sync on {clone.name} stopped for no known reason: {done.err}")
        return []

    def _resolve_by_hand(self, clone: Clone, case_id: str) -> None:
        """Keep the local value of each conflicting field; if the workflow refuses the merged
        case, keep the local workflow (and every event of both sides)."""
        from visites import casefile, yamlio, yamlwrite
        from visites.store import load_config

        path = clone.path / f"{case_id}.yaml"
        if not path.exists():
            return
        merged = yamlio.load(path.read_text(encoding="utf-8"))
        merged.pop("conflit_visites", None)
        config = load_config(clone.path)
        candidates = [merged]
        local = clone.git("show", f"HEAD:{case_id}.yaml", check=False)
        if local:
            mine = yamlio.load(local)
            workflow = ("adhesion", "refus", "orientation", "accompagnement", "cloture")
            candidate = {k: v for k, v in merged.items() if k not in workflow}
            candidate.update({k: mine[k] for k in workflow if k in mine})
            candidates.append(candidate)
        for candidate in candidates:
            text = yamlwrite.dump_new(candidate, casefile.HEADER)
            parsed = casefile.parse(text.encode(), path.name, config, expected_id=case_id)
            if parsed.case is not None and not parsed.errors:
                path.write_text(text, encoding="utf-8")
                self.figures.add("resolved by hand")
                return
        self.broken.append(f"{clone.name}: no valid resolution for {case_id}")

    # ------------------------------------------------------------------ the remote's states

    def _snapshot(self) -> None:
        """After a successful sync: the remote's state, ID → household."""
        self.snapshots += 1
        names = [
            n
            for n in git(self.remote, "ls-tree", "--name-only", "HEAD").split("\n")
            if re.fullmatch(r"\d{4}-\d{3,6}\.yaml", n)
        ]
        present = set()
        for name in names:
            text = git(self.remote, "show", f"HEAD:{name}")
            case_id = name[:-5]
            present.add(case_id)
            found = NAME.search(text)
            household = found.group(1).strip() if found else "?"
            if "anonymise_le:" in text:
                self.anonymised_ids.add(case_id)
            elif case_id in self.anonymised_ids:
                self.broken.append(f"{case_id}: anonymisation undone on the remote")
            if household != "anonymisé":
                self.ids_named[case_id].add(household)
            if case_id in self.gone:
                self.broken.append(f"{case_id}: deleted, then back on the remote")
        for case_id in self.ids_named:
            if case_id not in present and case_id not in self.gone:
                self.gone[case_id] = self.snapshots

    # ------------------------------------------------------------------ the checker

    def check(self) -> list[str]:
        broken = list(self.broken)
        first = self.clones[0]
        trees = [tree(c.path) for c in self.clones]
        for clone, other in zip(self.clones[1:], trees[1:], strict=True):
            if other != trees[0]:
                broken.append(f"clone {clone.name} differs from clone {first.name}")
        for clone in self.clones:
            status = clone.git("status", "--porcelain")
            if status.strip():
                broken.append(f"clone {clone.name} not clean: {status}")
            if clone.leftovers():
                broken.append(f"clone {clone.name} leftovers: {clone.leftovers()}")
            checked = clone.run("check")
            if checked.code != 0:
                broken.append(f"check on {clone.name}: {checked.err[-500:]}")
        for case_id, named in self.ids_named.items():
            if len(named) > 1:
                broken.append(f"ID {case_id} named {len(named)} households: {sorted(named)}")
                self.figures.add("IDs naming two households")
        texts = {c.name: _working_tree_text(c.path) for c in self.clones}
        files = self._cases(first)
        by_name = collections.defaultdict(list)
        for case_id, tree_ in files.items():
            by_name[tree_["menage"]["nom"]].append((case_id, tree_))
        for household in self.households.values():
            broken += self._check_household(household, by_name.get(household.name, []), texts)
        for written in self.events:
            household = self.households[written.household]
            if household.erased:
                if any(written.marker in text for text in texts.values()):
                    broken.append(f"{written.marker} of erased {household.name} came back")
                    self.figures.add("erasures undone")
                else:
                    self.figures.add("events erased with their household")
                continue
            homes = by_name.get(household.name, [])
            seen = [
                case_id
                for case_id, tree_ in files.items()
                for e in tree_.get("evenements") or []
                if written.marker in (e.get("note") or "")
            ]
            if len(seen) == 1 and homes and seen[0] == homes[0][0]:
                self.figures.add("events kept")
            elif not seen:
                broken.append(f"{written.marker} for {household.name}: lost")
                self.figures.add("events lost")
            else:
                broken.append(f"{written.marker} for {household.name}: found in {seen}")
                self.figures.add("events misplaced or doubled")
        for key in (
            "events lost",
            "events misplaced or doubled",
            "IDs naming two households",
            "erasures undone",
        ):
            self.figures.add(key, 0)
        self.figures.add("remote states checked", self.snapshots)
        return broken

    def _check_household(
        self, household: Household, homes: list, texts: dict[str, str]
    ) -> list[str]:
        broken = []
        name = household.name
        if household.erased:
            for clone, text in texts.items():
                if name in text:
                    broken.append(f"{name} ({household.erased}) back on clone {clone}")
                for phone in household.phones:
                    if phone in text:
                        broken.append(f"phone of erased {name} back on clone {clone}")
            if broken:
                self.figures.add("erasures undone")
            return broken
        if len(homes) != 1:
            return [f"{name}: {len(homes)} case files"]
        case_id, tree_ = homes[0]
        phone = tree_["menage"].get("telephone")
        if household.phones and phone not in household.phones:
            broken.append(f"{name}: phone {phone!r} is none of those typed")
        if household.referents and tree_.get("referent") not in household.referents:
            broken.append(f"{name}: referent {tree_.get('referent')!r} is none of those typed")
        return broken


def _phase(tree_: dict) -> str:
    if tree_.get("cloture") or tree_.get("refus"):
        return "closed"
    orientation = tree_.get("orientation")
    if orientation:
        return "accompaniment" if orientation.get("vers") == "accompagnement" else "closed"
    return "diagnostic" if tree_.get("adhesion") else "referral"


def _working_tree_text(folder: Path) -> str:
    """Every file of the working tree (not .git), as one text: what a person could read."""
    texts = []
    for path in sorted(folder.rglob("*")):
        where = path.relative_to(folder).parts
        # The index cache (.visites-cache) is a privacy matter of its own (purged on erasure).
        if ".git" in where or ".visites-cache" in where or not path.is_file():
            continue
        try:
            texts.append(path.read_text(encoding="utf-8", errors="replace"))
        except OSError:
            continue
    return "\n".join(texts)
