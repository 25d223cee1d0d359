"""The rule of the daily call queue (SPEC section 4, "Call queue"), as plain functions of
numbers and strings: which of a department's petitions are sampled, and which agent gets
the next call. No ORM here; `surveys.services.call_queue_build` feeds them from the database.

Sampling is deterministic: a petition's place in its department's draw is the SHA-256 of
its petition number, so a rerun (or a second worker) draws exactly the same petitions, and
whether a petition is drawn never depends on the order the database returned the rows in.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass


def department_quota(*, n: int, share_percent: int, minimum: int) -> int:
    """How many of a department's n petitions in the window are to be called: all of them
    when the share is 100 %, otherwise ceil(share x n) but at least the minimum (and never
    more than n)."""
    if n <= 0:
        return 0
    if share_percent >= 100:
        return n
    share = -(-max(share_percent, 0) * n // 100)  # ceil in integers: no float rounding
    return min(n, max(share, minimum))


def draw_key(petition_no: str) -> tuple[str, str]:
    """The petition's place in its department's draw (ties, impossible in practice, fall
    back on the number itself)."""
    return hashlib.sha256(petition_no.encode()).hexdigest(), petition_no


def department_draw(
    *, window: Iterable[str], already_called: int, share_percent: int, minimum: int
) -> list[str]:
    """The petitions (numbers) of one department to queue now.

    `window` holds the numbers of the department's petitions completed in the window that
    have no call yet; `already_called` counts those of the window that have one. The quota
    is taken over the whole window, so the calls made on earlier days (or by an earlier run
    today) count towards it: running the draw again right after it ran draws nothing.
    """
    candidates = sorted(window, key=draw_key)
    quota = department_quota(
        n=len(candidates) + already_called, share_percent=share_percent, minimum=minimum
    )
    return candidates[: max(quota - already_called, 0)]


@dataclass
class Agent:
    user_id: int
    open_calls: int


def assign_round_robin(agents: list[Agent], count: int) -> list[int | None]:
    """The user id for each of `count` new calls: always the agent holding the fewest open
    calls, ties broken by user id, so an agent who starts the day with a backlog gets new
    calls only once the others have caught up. None for every call when nobody is on duty."""
    if not agents:
        return [None] * count
    load = {a.user_id: a.open_calls for a in agents}
    chosen: list[int | None] = []
    for _ in range(count):
        user_id = min(load, key=lambda uid: (load[uid], uid))
        load[user_id] += 1
        chosen.append(user_id)
    return chosen
