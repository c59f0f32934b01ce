"""History and comparison: a report (or a roll-up) compared with an earlier one of the same commune
and form (`--previous`), the rows and the words set by the form's `compare:` section.

- figures: what a report keeps to be compared with (Figures) and the template's `prev`;
- previous: whether two reports may be compared (same commune, same form, an earlier period); the one
  call for a caller holding two prepared reports (the portal) is `Prepared.compare_with` (baocao.pipeline);
(The previous workbooks of a batch, matched to its communes and its roll-ups: baocao/batch/previous.py.)
"""

from baocao.history.figures import Figures, figures_of, prev_context
from baocao.history.previous import PreviousMismatch, mismatch

__all__ = ["Figures", "PreviousMismatch", "figures_of", "mismatch", "prev_context"]
