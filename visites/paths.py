"""The names of what a case folder holds: the settings, the case files, the lock, the temp
files. A leaf (the standard library only): the settings model, the store, the index and the
commands all name these files, and none of them needs another's imports for it."""

from __future__ import annotations

import re

SETTINGS_FILE = "visites.yaml"
# `AAAA-NNN.yaml`: the referral's year, a sequence number (ids.CASE_ID), nothing personal.
CASE_FILE = re.compile(r"(\d{4}-\d{3,6})\.yaml", re.ASCII)
LOCK_FILE = ".visites.lock"
TEMP_PREFIX = ".visites-tmp-"
