"""The merge room (pure): two workers' versions of the case folder, and what a sync may and
may never do with them. Plain YAML trees and bytes in, decisions and French text out.

- `casediff`: what changed between two versions of a case, and the three-way merge of one
  case file, field by field (the merge driver's rule);
- `plan`: the sync's decisions on the three versions of each file (renumber, an erasure
  against a change, conflicts);
- `verify`: a merge checked against its three versions before it is concluded (nothing
  synced is lost);
- `registry`: the text of `registre.yaml`, the erased IDs never given again."""
