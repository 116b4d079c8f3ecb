#!/usr/bin/env bash
# .git is read-only (a bind mount here; a repository on a share mounted read-only, or owned
# by another account). `visites event` writes the case file and says « événement ajouté »,
# exit 0, with no warning: the commit is silently skipped, and not even noted as pending
# (gitops.commit ignores add_pending's False: .git/visites/en-attente.json cannot be
# written). Once .git is writable again, `visites sync` takes visites' own write for a hand
# edit and refuses (« modifications non enregistrées (2015-001.yaml) … git add … git
# commit »): the worker has to commit by hand.
# Expected (README « Quand l'enregistrement git échoue »): « avertissement : enregistrement
# git impossible (le dépôt git est en lecture seule) … », and the next sync records it.
# Needs root (mount --bind).
source "$(dirname "$0")/lib.sh"
team a b
mount --bind "$W/b/.git" "$W/b/.git" && mount -o remount,bind,ro "$W/b/.git" || { echo "needs root"; exit 2; }
out=$(event b 2015-001 "visite du 3 février" 2>&1); echo "$out"
umount "$W/b/.git"
sync_out=$(v b sync 2>&1); echo "$sync_out"
if ! grep -q "avertissement" <<<"$out" && grep -q "modifications non enregistrées" <<<"$sync_out"; then
  echo "BROKEN: no warning when the commit failed; the next sync refuses visites' own write"; exit 1
fi
echo OK
