"""The git room: git run as a program, and nothing else in visites starts it. Imports the
leaves only.

- `run`: `git -C root …` (the one way to start git), the identity of a commit;
- `merge`: the sync's git: the team's remote, fetching, merging without concluding, pushing;
- `state`: what visites remembers in the clone's `.git/visites/` (pending commits, a sync in
  progress);
- `numbers`: the case numbers git ever knew in this clone (history, index), never given again."""
