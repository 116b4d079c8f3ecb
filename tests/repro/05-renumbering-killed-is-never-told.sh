#!/usr/bin/env bash
# A and B both record a new household offline; both get 2015-004. A syncs first. B's sync
# renumbers B's case to 2015-005 and is killed while committing that (battery dies). The
# one line that tells B « votre dossier 2015-004 devient 2015-005 » (and the documents to
# redo) is never printed: the next sync only says « Enregistré d'abord dans l'historique :
# 2015-004.yaml, 2015-005.yaml » and « modifications reçues (2015-004) ». B goes on with
# « its » 2015-004: B's next note about Famille Beta lands in Famille Alpha's file.
# Expected: the renumbering is told by the sync that completes it, whatever happened before.
source "$(dirname "$0")/lib.sh"
team a b
referral a "Famille Alpha" >/dev/null; v a sync >/dev/null
referral b "Famille Beta" >/dev/null
event b 2015-004 "note beta 1" >/dev/null
kill_sync_at b ref:prepared:refs/heads     # the renumbering commit being written
out=$(v b sync 2>&1); echo "$out"
event b 2015-004 "note beta 2 (Mme Beta a appelé)" >/dev/null   # what B believes is Beta's case
verdict "2015-004 on b: $(grep 'nom:' "$W/b/2015-004.yaml") / notes: $(grep 'note:' "$W/b/2015-004.yaml" | tr -s ' ' | tr '\n' ' ')"
if ! grep -q "devient 2015-005" <<<"$out" && grep -q "Alpha" "$W/b/2015-004.yaml" && grep -q "beta 2" "$W/b/2015-004.yaml"; then
  echo "BROKEN: the renumbering was never told; B's note about Famille Beta is in Famille Alpha's case"; exit 1
fi
echo OK
