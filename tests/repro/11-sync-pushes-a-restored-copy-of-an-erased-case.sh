#!/usr/bin/env bash
# A deletes 2015-003 (tombstone in registre.yaml) and syncs. Later a copy of the file comes
# back into A's folder (restored from a backup of the folder, copied back to read it…).
# `visites sync` commits it on its own (« Enregistré d'abord dans l'historique :
# 2015-003.yaml »: syncrecovery.commit_owed commits every untracked valid case file, meant
# for a file visites wrote before a kill) and pushes it: the erased household is back on
# every clone, while registre.yaml still says 2015-003 was deleted. `visites check` is clean.
# Expected: sync never records a case whose ID the registry says was erased (it names the
# file and stops), and check reports a file present under a tombstoned ID.
source "$(dirname "$0")/lib.sh"
team a b
cp "$W/a/2015-003.yaml" "$W/backup-2015-003.yaml"
v a close 2015-003 --date 2015-02-10 --outcome "rupture ou abandon" >/dev/null
v a delete 2015-003 --yes >/dev/null
v a sync >/dev/null; v b sync >/dev/null
cp "$W/backup-2015-003.yaml" "$W/a/2015-003.yaml"
v a sync; echo "(a sync: exit $?)"
v b sync >/dev/null
v b check >/dev/null 2>&1 && echo "check on b: clean"
if [ -e "$W/b/2015-003.yaml" ]; then
  echo "BROKEN: the deleted household is back on b ($(grep 'nom:' "$W/b/2015-003.yaml")), registre.yaml: $(grep 2015-003 "$W/b/registre.yaml")"
  exit 1
fi
echo OK
