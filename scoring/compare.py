"""The review of a ranking run against another (SPEC section 5, "a manager reviews a run and
publishes it"): which rows moved, by how much, which are new and which are gone."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from scoring.models import RankingRun


@dataclass
class Change:
    """How a row differs from the same department's or official's row in the baseline run."""

    new: bool = False
    rank_move: int | None = None  # positive: moved up
    rank_text: str = ""
    score_delta: Decimal | None = None

    @property
    def changed(self) -> bool:
        return self.new or bool(self.rank_text) or bool(self.score_delta)

    @property
    def kind(self) -> str:
        """ "rank" for a new row or a rank move (marked strongly on the review page), "score"
        for a score change alone, "" for an unchanged row."""
        if self.new or self.rank_text:
            return "rank"
        return "score" if self.score_delta else ""

    @property
    def text(self) -> str:
        if self.new:
            return _("new")
        parts = [self.rank_text] if self.rank_text else []
        if self.score_delta:
            parts.append(f"{self.score_delta:+.2f}")
        return " · ".join(parts)


def change(row, old) -> Change:
    if old is None:
        return Change(new=True)
    result = Change(score_delta=row.score - old.score)
    if old.rank is not None and row.rank is not None:
        result.rank_move = old.rank - row.rank
        if result.rank_move > 0:
            result.rank_text = _("up %(n)s from %(rank)s") % {
                "n": result.rank_move,
                "rank": old.rank,
            }
        elif result.rank_move < 0:
            result.rank_text = _("down %(n)s from %(rank)s") % {
                "n": -result.rank_move,
                "rank": old.rank,
            }
    elif old.rank is None and row.rank is not None:
        result.rank_text = _("newly ranked")
    elif old.rank is not None and row.rank is None:
        result.rank_text = _("no longer ranked (was %(rank)s)") % {"rank": old.rank}
    return result


def compare(rows: list, baseline_rows: list, key: str) -> dict:
    """Attach a `change` to every row; count the moves; list the baseline's rows that this
    run does not have."""
    before = {getattr(r, key): r for r in baseline_rows}
    summary = {"rank": 0, "score": 0, "new": 0, "missing": []}
    for row in rows:
        row.change = change(row, before.pop(getattr(row, key), None))
        summary["new"] += row.change.new
        summary["rank"] += bool(row.change.rank_text)
        summary["score"] += bool(row.change.score_delta)
    summary["missing"] = sorted(before.values(), key=lambda r: r.position)
    return summary


def changed_first(rows: list) -> list:
    """The rows that changed, biggest change first: new rows and rank moves (largest move
    first) before score changes alone (largest first); listing order among equals."""

    def size(row):
        c = row.change
        return (
            c.kind != "rank",
            not c.new,
            -abs(c.rank_move or 0),
            -abs(c.score_delta or 0),
            row.position,
        )

    return sorted((row for row in rows if row.change.changed), key=size)


def baseline(run: RankingRun) -> RankingRun | None:
    """What a reviewer compares a run with: the period's current publication, or, for the
    published run itself, the publication it replaced."""
    Status = RankingRun.Status
    runs = run.period.runs.exclude(pk=run.pk)
    if run.status == Status.PUBLISHED:
        return (
            runs.filter(status=Status.SUPERSEDED, number__lt=run.number).order_by("-number").first()
        )
    return runs.filter(status=Status.PUBLISHED).first()
