#!/usr/bin/env bash
# Every case file says « Modifiable à la main … Vos commentaires sont conservés. » B writes
# a YAML comment in 2015-003 (a warning for whoever visits), commits it and syncs. A, who
# meanwhile added a visit to 2015-003, syncs: the merge driver rebuilds the file from A's
# own text (mergedriver._render patches OURS only), so B's comment is not in the result;
# the verification compares YAML trees, where a comment does not exist, and lets it pass.
# A pushes; B's next sync removes the comment from B's clone too. Both syncs exit 0.
# Expected: a comment (or any text-only change) made on one side survives the merge, or
# the sync names it as a conflict.
source "$(dirname "$0")/lib.sh"
team a b
sed -i 's/^menage:$/# Ne pas appeler Mme Trois le soir (voisin violent)\nmenage:/' "$W/b/2015-003.yaml"
g b commit -qam "2015-003: commentaire"
v b sync >/dev/null
event a 2015-003 "visite à domicile" >/dev/null
v a sync; v b sync
verdict "the comment on each clone:"
grep -c "voisin violent" "$W/a/2015-003.yaml" "$W/b/2015-003.yaml"
if ! grep -q "voisin violent" "$W/b/2015-003.yaml"; then
  echo "BROKEN: B's comment is gone from every clone (only in the history)"; exit 1
fi
echo OK
