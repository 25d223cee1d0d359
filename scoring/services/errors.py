"""The one error the scoring services raise: a request refused, with a message for the
person who made it."""

from __future__ import annotations


class ScoringError(Exception):
    """A request the scoring service refuses, with a message for the person who made it."""
