"""`visites sync` and the merge driver git calls for each case file: the shell around the
pure merge rules (`visites.merge`). Light to import: git runs the merge driver once per
file."""
