#!/usr/bin/env bash
# A deletes 2015-003 (the household's right to erasure) and syncs. B syncs: a fast-forward,
# so B's last commit is A's deletion. B types `visites undo --yes` (to undo B's own last
# step, say): it reverts A's deletion, the household's file comes back and the tombstone
# leaves registre.yaml; B syncs and the erased household is back on every clone.
# Expected: an erasure (delete, anonymise) cannot be undone once synced, nor by another
# person (the contract: « un effacement reste effacé », « Rien n'est jamais restauré »).
source "$(dirname "$0")/lib.sh"
team a b
v a delete 2015-003 --yes >/dev/null
v a sync >/dev/null
v b sync >/dev/null
v b undo --yes
v b sync >/dev/null
v a sync >/dev/null
verdict "on a, after both synced:"
ls "$W/a"
grep -c "2015-003" "$W/a/registre.yaml" || true
if [ -e "$W/a/2015-003.yaml" ]; then
  echo "BROKEN: the erased household is back on a: $(grep 'nom:' "$W/a/2015-003.yaml")"; exit 1
fi
echo "OK"
