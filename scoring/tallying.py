"""What a ranking run reads, as data: `Inputs` (the period's aggregates, counted reports,
tallies and the rows read per table) and the accumulators `scoring.inputs` fills from its
grouped statements: `Tally` (exact sums and tallies per owner over one common
denominator) and `Source` (the rows read from one table, for the fingerprint).
No database access here.
"""

from __future__ import annotations

import datetime
import math
import operator
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal, NamedTuple

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from scoring import bulk, rules

Kind = Literal["department", "official"]


class OwnersRead(NamedTuple):
    """The part of `Inputs` for one kind of owner (its fields named kind + "_" + part)."""

    sums: dict[str, bulk.Sums]
    praise: dict[int, list[str]]
    unkind: dict[int, list[str]]
    tallies: dict[str, dict[int | None, dict[Fraction, int]]]


class _PerComponent:
    """A read-only {component: value} view of a {component: `bulk.Sums`} field, each
    component's sums read by `read`."""

    def __init__(self, field: str, read: Callable[[bulk.Sums], object]) -> None:
        self.field, self.read = field, read

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        return {name: self.read(sums) for name, sums in getattr(instance, self.field).items()}


@dataclass
class Inputs:
    """The period's aggregates: per component, per department or official id."""

    # Per component: every owner's sum and count as integers over one common denominator.
    department_sums: dict[str, bulk.Sums] = field(default_factory=dict)
    official_sums: dict[str, bulk.Sums] = field(default_factory=dict)
    # Counted reports: receipt numbers per department / official, in receipt order.
    department_praise: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    department_unkind: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    official_praise: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    official_unkind: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    # Per component, per owner id: each distinct response score with its count (what the
    # rank intervals resample), and the same for the whole city's pool (owner None).
    department_tallies: dict[str, dict[int | None, dict[Fraction, int]]] = field(
        default_factory=dict
    )
    official_tallies: dict[str, dict[int | None, dict[Fraction, int]]] = field(default_factory=dict)
    # Per survey table: the rows read, their highest id and latest change.
    sources: dict[str, dict] = field(default_factory=dict)

    # Per component: every owner's aggregate, and the whole city's.
    department = _PerComponent("department_sums", bulk.Sums.aggregates)
    department_city = _PerComponent("department_sums", operator.attrgetter("city"))
    official = _PerComponent("official_sums", bulk.Sums.aggregates)
    official_city = _PerComponent("official_sums", operator.attrgetter("city"))

    def of(self, kind: Kind) -> OwnersRead:
        """What was read for the departments or for the officials."""
        return OwnersRead(*(getattr(self, f"{kind}_{part}") for part in OwnersRead._fields))

    @property
    def empty(self) -> bool:
        return not (
            any(sums.n for sums in self.department_sums.values())
            or any(sums.n for sums in self.official_sums.values())
            or self.department_praise
            or self.department_unkind
        )


class Score(Fraction):
    """A distinct response score as read: an exact fraction whose hash is worked out once.
    Every owner's tally is keyed by the same few of them, so the tallies of a whole city
    are built without hashing a fraction (a modular inverse) per owner and score."""

    __slots__ = ("_hash",)

    def __hash__(self) -> int:
        return self._hash

    @classmethod
    def of(cls, value: Fraction) -> Score:
        score = cls(value)
        score._hash = Fraction.__hash__(score)
        return score


class Tally:
    """Exact sums and tallies per owner from (owner, score, count) rows.

    Counts are kept per distinct score as read; `sums` and `tallies` turn each distinct
    score into an exact fraction once, bring them all over one common denominator and, in
    one pass over the counts, sum integers and gather each owner's tally."""

    def __init__(self, to_score: Callable[[object], Fraction]):
        self.to_score = to_score
        self.counts: dict[tuple[int | None, object], int] = defaultdict(int)
        self._built: tuple[dict, bulk.Sums] | None = None

    def add(self, owner: int | None, raw, n: int) -> None:
        self.counts[owner, raw] += n
        self._built = None

    def add_rows(self, rows: Iterable[tuple[int | None, object, int]]) -> None:
        """`add` for many (owner, score, count) rows."""
        counts = self.counts
        for owner, raw, n in rows:
            counts[owner, raw] += n
        self._built = None

    def _build(self) -> tuple[dict[int | None, dict[Fraction, int]], bulk.Sums]:
        if self._built is not None:
            return self._built
        values: dict[object, Score] = {}
        same: dict[Fraction, Score] = {}  # two stored values may read as one fraction
        for raw in {raw for _owner, raw in self.counts}:
            value = Score.of(self.to_score(raw))
            values[raw] = same.setdefault(value, value)
        common = math.lcm(*(v.denominator for v in same)) if same else 1
        numerators = {raw: v.numerator * (common // v.denominator) for raw, v in values.items()}
        tallies: dict[int | None, dict[Fraction, int]] = {}
        per: dict[int | None, list[int]] = {}
        squares = 0
        for (owner, raw), n in self.counts.items():
            value, numerator = values[raw], numerators[raw]
            squares += n * numerator * numerator
            tally = tallies.get(owner)
            if tally is None:
                tallies[owner] = {value: n}
                per[owner] = [n * numerator, n]
            else:
                tally[value] = tally.get(value, 0) + n
                found = per[owner]
                found[0] += n * numerator
                found[1] += n
        total = sum(found[0] for found in per.values())
        n = sum(found[1] for found in per.values())
        per_owner = {owner: (s, c) for owner, (s, c) in per.items() if owner is not None}
        self._built = (tallies, bulk.Sums(common, per_owner, total, n, squares))
        return self._built

    def tallies(self) -> dict[int | None, dict[Fraction, int]]:
        """Per owner, each distinct score (exact) with its count; owner None holds the rows
        of no owner (a kindness answer on a petition no official handled)."""
        return self._build()[0]

    def sums(self) -> bulk.Sums:
        """Per owner (not None) the sum of its scores over the common denominator and its
        count; the city's sum, count and sum of squares over every row."""
        return self._build()[1]

    def totals(self) -> tuple[dict[int, rules.Aggregate], rules.Aggregate]:
        sums = self.sums()
        return sums.aggregates(), sums.city


class Source:
    """The rows read from one table, for the fingerprint."""

    def __init__(self) -> None:
        self.rows, self.max_id, self.changed = 0, None, None

    def add(self, n: int, max_id: int | None, changed) -> None:
        self.rows += n
        if max_id is not None and (self.max_id is None or max_id > self.max_id):
            self.max_id = max_id
        changed = moment(changed)
        if changed is not None and (self.changed is None or changed > self.changed):
            self.changed = changed

    def add_rows(self, rows: Sequence[tuple]) -> None:
        """`add` for many rows whose last three columns are (count, highest id, latest
        change): the maxima taken over the lot, each change read once."""
        self.rows += sum(row[-3] for row in rows)
        ids = [row[-2] for row in rows if row[-2] is not None]
        if ids:
            self.add(0, max(ids), None)
        changes = {row[-1] for row in rows if row[-1] is not None}
        if changes:
            if any(isinstance(change, str) for change in changes):
                latest = max(moment(change) for change in changes)
            else:
                latest = max(changes)  # aware datetimes, as PostgreSQL's driver gives them
            self.add(0, None, latest)

    def as_json(self) -> dict:
        return {
            "rows": self.rows,
            "max_id": self.max_id,
            "changed": self.changed.isoformat() if self.changed else None,
        }


def moment(value) -> datetime.datetime | None:
    """A MAX() of a timestamp as an aware datetime (SQLite hands back its text)."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value
