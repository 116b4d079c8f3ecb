"""The household's amounts never reach the landlord: a unique amount is planted in every
figure of every statement of the demo folder, and searched for in every landlord output.
Only the arrears go there, first and last figure, in the tableau de suivi of a household that
agreed to exchanges. (The objectives' texts are planted by test_privacy_fields.)"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from privacy_support import (  # noqa: F401  (fixtures)
    LANDLORD_CASE_COMMANDS,
    LANDLORD_COMMANDS,
    demo_fixture,
    demo_template_fixture,
    ok,
)

from visites import casefile, finances
from visites.store import Folder

AMOUNTS = ("arrears", "resources", "rent", "housing_benefit")


def plant_amounts(folder: Path) -> dict[Decimal, tuple[str, str]]:
    """A unique amount (9xxxx,yy: any sum of two is above 100 000) in every figure of every
    statement; the files rewritten. Return amount → (case ID, figure)."""
    planted: dict[Decimal, tuple[str, str]] = {}
    for case in Folder(folder).load_all().cases:
        statements = []
        for statement in case.finances:
            update = {}
            for name in AMOUNTS:
                if getattr(statement, name) is not None:
                    amount = (
                        Decimal(90001 + len(planted) * 97) + Decimal(len(planted) % 89 + 10) / 100
                    )
                    planted[amount] = (case.id, name)
                    update[name] = amount
            statements.append(statement.model_copy(update=update))
        planted_case = case.model_copy(update={"finances": tuple(statements)})
        (folder / f"{case.id}.yaml").write_text(casefile.render_new(planted_case), "utf-8")
    return planted


def pattern(amount: Decimal) -> re.Pattern[str]:
    """The amount however it is written: 90001,11 · 90 001,11 € · 90\u00a0001,11 · 90001.11."""
    thousands, rest = divmod(int(amount), 1000)
    cents = f"{amount:.2f}"[-2:]
    return re.compile(
        rf"(?<!\d){thousands}[\s\u00a0\u202f]?{rest:03d}[.,]{cents[0]}(?:{cents[1]})?(?!\d)"
    )


def found(text: str, planted: dict[Decimal, tuple[str, str]]) -> set[Decimal]:
    return {amount for amount in planted if pattern(amount).search(text)}


def test_no_amount_reaches_a_landlord_output_but_consenting_arrears_in_the_suivi(
    run, demo: Path, tmp_path: Path
) -> None:
    planted = plant_amounts(demo)
    assert len(planted) >= 20 and ok(run, "check")
    # The amounts are really there: the association's own view shows the latest ones.
    shown = "".join(ok(run, "show", case_id) for case_id in Folder(demo).case_ids())
    assert len(found(shown, planted)) >= len(planted) // 2
    for command in LANDLORD_COMMANDS:
        result = run(*command)
        assert result.code == 0, (command, result.err)
        assert not found(result.out + result.err, planted), command
    for command in LANDLORD_CASE_COMMANDS:
        for case_id in Folder(demo).case_ids():
            result = run(*(case_id if arg == "{id}" else arg for arg in command))
            assert not found(result.out + result.err, planted), (command, case_id)
    # The tableau de suivi: the first and last arrears of the consenting households only.
    allowed = set()
    for case in Folder(demo).load_all().cases:
        span = finances.arrears_span(case.finances)
        if span and case.adhesion and case.adhesion.consent_to_share:
            allowed |= set(span)
    assert len(allowed) >= 3
    for suffix in ("csv", "xlsx"):
        target = tmp_path / f"suivi.{suffix}"
        ok(run, "export", "suivi", "--output", str(target))
        text = readable(target)
        assert found(text, planted) == allowed, suffix


def readable(path: Path) -> str:
    if path.suffix != ".xlsx":
        return path.read_bytes().decode("utf-8-sig")
    from openpyxl import load_workbook

    return "\n".join(str(cell.value) for sheet in load_workbook(path) for row in sheet.iter_rows()
                     for cell in row if cell.value is not None)  # fmt: skip
