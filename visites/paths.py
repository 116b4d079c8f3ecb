"""The names of what a case folder holds: the settings, the case files, the lock, the temp
files. A leaf (the standard library only): the settings model, the store, the index and the
commands all name these files, and none of them needs another's imports for it."""

from __future__ import annotations

import re

SETTINGS_FILE = "visites.yaml"
# The registry of erased IDs (tombstones, never a name), tracked by git: registry.py.
REGISTRY_FILE = "registre.yaml"
# The folder's secret key for the registry's fingerprints of erased households: fingerprints.py.
KEY_FILE = "registre.cle"
# `AAAA-NNN.yaml`: the referral's year, a sequence number (ids.CASE_ID), nothing personal.
CASE_FILE = re.compile(r"(\d{4}-\d{3,6})\.yaml", re.ASCII)
LOCK_FILE = ".visites.lock"
# git's temporary copies of a file for a merge driver, in the work tree (a killed sync's
# leftovers: whole copies of case files).
MERGE_TEMP_PREFIX = ".merge_file_"
# What this clone knows of the numbers the team's remote gave (written by `visites sync`
# after each fetch, read by `next_id`): never tracked, inside git's own folder.
REMOTE_NUMBERS = ".git/visites/numeros-distants.json"
TEMP_PREFIX = ".visites-tmp-"
# The index cache's folder (index.py): a copy of the cases, rebuilt from them, never tracked.
CACHE_DIR = ".visites-cache"
# What the case folder's .gitignore keeps out of git: visites' own working files.
GITIGNORE_FILE = ".gitignore"
IGNORED = (LOCK_FILE, f"{TEMP_PREFIX}*", f"{CACHE_DIR}/")
