"""Comments through a merge (visites.merge.comments, the merge driver, the verification):
a comment line written on one side is in the merged file."""

from __future__ import annotations

from visites.merge import comments
from visites.merge.plan import Version
from visites.merge.verify import verify

BASE = "id: 2015-003\nmenage:\n  nom: Famille Trois\nevenements:\n  - date: 2015-02-03\n"
THEIRS = BASE.replace("menage:", "# Ne pas appeler le soir\nmenage:")
OURS = BASE + "  - date: 2015-02-09\n"


def test_a_comment_added_on_one_side_is_put_back_before_the_line_it_preceded() -> None:
    kept = comments.keep(OURS, BASE, [OURS, THEIRS])
    assert kept == OURS.replace("menage:", "# Ne pas appeler le soir\nmenage:")


def test_comments_already_in_the_merge_are_not_doubled() -> None:
    assert comments.keep(THEIRS, BASE, [OURS, THEIRS]) == THEIRS


def test_a_comment_whose_neighbours_are_gone_goes_at_the_end() -> None:
    side = "# seul\nautre: 1\n"
    assert comments.keep("id: 1\n", "", [side]) == "id: 1\n# seul\n"


def test_the_verification_names_a_comment_the_merge_dropped_by_its_line_only() -> None:
    version = Version("2015-003.yaml", BASE.encode(), OURS.encode(), THEIRS.encode(),
                      OURS.encode())  # fmt: skip
    losses = verify([version]).losses
    assert [loss.what for loss in losses] == [
        "le commentaire de la ligne 2, ajouté chez un·e collègue"
    ]
    assert "appeler" not in losses[0].what  # a comment's words may name someone


def test_the_verification_accepts_a_merge_that_kept_every_comment() -> None:
    merged = comments.keep(OURS, BASE, [OURS, THEIRS])
    version = Version("2015-003.yaml", BASE.encode(), OURS.encode(), THEIRS.encode(),
                      merged.encode())  # fmt: skip
    assert verify([version]).ok


def test_comments_can_all_go_unindented_at_the_end() -> None:
    side = "note: |\n  ligne\n  # dans le texte\n    # un commentaire\nautre: 1\n"
    kept = comments.keep("note: |\n  ligne\nautre: 1\n", "", [side], at_end=True)
    assert kept.endswith("autre: 1\n# dans le texte\n# un commentaire\n")
