#!/usr/bin/env bash
# README « Travailler à plusieurs »: « La première synchronisation d'un clone installe la
# fusion de visites et remet les fichiers en lecture privée (600) ». With the usual umask
# (022), `git clone` makes every case file 0644; the first `visites sync` of the clone, when
# there is nothing new to receive, returns before syncfiles.keep_private ever runs (it is
# only called from _settle, after a merge or a fast-forward). The households' files stay
# readable by every account of the machine; `visites check` warns about each.
source "$(dirname "$0")/lib.sh"
umask 022
team a b
verdict "modes on b after its first sync:"
stat -c '%a %n' "$W"/b/2015-*.yaml
if stat -c '%a' "$W"/b/2015-*.yaml | grep -qv '^600$'; then
  echo "BROKEN: case files readable by others after the first sync of the clone"; exit 1
fi
echo OK
