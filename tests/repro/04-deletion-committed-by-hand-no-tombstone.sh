#!/usr/bin/env bash
# A removes 2015-003.yaml and runs `visites sync`, which stops and advises, word for word:
# « enregistrez-les (git add 2015-003.yaml puis git commit) ». A does so and syncs: the
# deletion reaches the team without a tombstone in registre.yaml, so the ID is free again:
# A's next referral is 2015-003. C, offline all along, had written a note on the old
# 2015-003; C syncs: the note lands in the new household's file, exit 0.
# Expected: a case deleted outside `visites delete` (or by the advised git commands) still
# leaves its ID taken (a tombstone, or next_id reading the history), or sync refuses it.
source "$(dirname "$0")/lib.sh"
team a b c
event c 2015-003 "note confidentielle sur la famille Trois" >/dev/null
rm "$W/a/2015-003.yaml"
v a sync; echo "(sync: exit $?)"
g a add 2015-003.yaml && g a commit -qm "2015-003 retiré"
v a sync >/dev/null; v b sync >/dev/null
echo "new referral on a: $(referral a "Famille Nouvelle")"
v a sync >/dev/null
v c sync; echo "(c sync: exit $?)"
v a sync >/dev/null
verdict "2015-003 on a:"
grep -n "nom:\|note:" "$W/a/2015-003.yaml"
if grep -q "Famille Nouvelle" "$W/a/2015-003.yaml" && grep -q "famille Trois" "$W/a/2015-003.yaml"; then
  echo "BROKEN: C's note about Famille Départ Trois landed in Famille Nouvelle's file"; exit 1
fi
echo OK
