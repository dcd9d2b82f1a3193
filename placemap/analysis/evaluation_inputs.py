"""An intervention to evaluate: which LSOAs, which domain and editions, how to match, and the checks on them."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from placemap.analysis import change, lsoa_change
from placemap.data.catalogue import VINTAGES

DEFAULT_SEED = 20251030
DEFAULT_BOOT = 1000
MIN_BOOT, MAX_BOOT = 100, 10_000
MIN_NEIGHBOURS, MAX_NEIGHBOURS = 1, 10
MIN_TREATED = 2
MAX_TREATED = 5000
SMALL_TREATED = 20
NAME_MAX = 200
RULE_MAX = 1000
# An uploaded outcome marks LSOAs without a value in one of its two columns with this change code.
NO_UPLOADED_VALUE_CODE, NO_UPLOADED_VALUE = "N", "no value in one of the two columns of your data"
CI_LEVEL = 0.95
_AREA_CODE = re.compile(r"^E0[0-9]{7}$")


class EvaluationError(ValueError):
    """An evaluation that cannot be run as asked; the message says why and what to change."""


@dataclass(frozen=True)
class MatchOptions:
    """How comparison LSOAs are chosen."""

    n_neighbours: int = 3
    same_region: bool = False
    exclude_same_la: bool = False


@dataclass(frozen=True)
class UploadOutcome:
    """An outcome from the user's own data: two columns of one uploaded LSOA table.

    Saved with the intervention (as JSON) so that a link can say which data it needs even
    when the upload is not in the session; the values themselves stay with the upload.
    """

    dataset_id: str
    dataset_name: str
    before_column: str
    after_column: str
    before_label: str
    after_label: str
    unit: str = ""
    polarity: str = "high_is_deprived"
    geography: str = "lsoa21"

    def problems(self) -> list[str]:
        """What is wrong with this outcome, in plain words (empty when it can be used)."""
        out = []
        if self.geography not in ("lsoa11", "lsoa21"):
            out.append("An uploaded outcome must be on LSOAs (2011 or 2021 codes).")
        if self.before_column == self.after_column:
            out.append('Choose two different columns of your data as "before" and "after".')
        return out


@dataclass(frozen=True)
class Intervention:
    """An intervention to evaluate: where, on what, between which editions, and how.

    ``outcome`` (optional) replaces the domain's change between editions with the change
    between two columns of an uploaded table; ``selection_rule`` records how the LSOAs were
    chosen from uploaded areas, in words.
    """

    name: str
    area_codes: tuple[str, ...]
    domain: str
    before: int
    after: int
    measure: str = lsoa_change.POSITION
    options: MatchOptions = field(default_factory=MatchOptions)
    seed: int = DEFAULT_SEED
    n_boot: int = DEFAULT_BOOT
    outcome: UploadOutcome | None = None
    selection_rule: str = ""

    def validate(self) -> Intervention:
        """Return the intervention if it can be evaluated; raise ``EvaluationError`` saying what is wrong."""
        problems = []
        if not self.name.strip():
            problems.append("Give the intervention a name.")
        if len(self.name) > NAME_MAX:
            problems.append(f"The name is longer than {NAME_MAX} characters.")
        if not self.area_codes:
            problems.append("Choose at least one LSOA.")
        if len(self.area_codes) > MAX_TREATED:
            problems.append(f"An intervention can cover at most {MAX_TREATED:,} LSOAs.")
        bad = [c for c in self.area_codes if not _AREA_CODE.match(str(c))]
        if bad:
            problems.append(f"{len(bad)} code(s) are not LSOA codes (they look like E01012345).")
        years = {v.year for v in VINTAGES}
        if self.before not in years or self.after not in years or self.before >= self.after:
            problems.append("Choose a 'before' edition earlier than the 'after' edition.")
        elif self.domain not in {d.id for d in change.domains_with_ranks(self.before, self.after)}:
            problems.append(
                f"The domain {self.domain!r} is not published in both IoD{self.before} and IoD{self.after}."
            )
        if self.measure not in change.MEASURES:
            problems.append(f"Unknown measure {self.measure!r}.")
        if not MIN_NEIGHBOURS <= self.options.n_neighbours <= MAX_NEIGHBOURS:
            problems.append(f"Choose {MIN_NEIGHBOURS} to {MAX_NEIGHBOURS} comparison LSOAs per treated LSOA.")
        if not MIN_BOOT <= self.n_boot <= MAX_BOOT:
            problems.append(f"Choose {MIN_BOOT:,} to {MAX_BOOT:,} bootstrap draws.")
        if self.seed < 0:
            problems.append("The seed must be a whole number of 0 or more.")
        if self.outcome is not None:
            problems.extend(self.outcome.problems())
        if len(self.selection_rule) > RULE_MAX:
            problems.append(f"The note on how the LSOAs were chosen is longer than {RULE_MAX} characters.")
        if problems:
            raise EvaluationError(" ".join(problems))
        return self

    def to_dict(self) -> dict:
        """A plain dict (lists, not tuples) for storage or JSON."""
        data = asdict(self)
        data["area_codes"] = list(self.area_codes)
        return data
