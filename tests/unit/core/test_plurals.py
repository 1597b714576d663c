"""Counts in words: only 1 takes the singular, and both forms are written out whole."""

from __future__ import annotations

import pytest

from unclench.core.plurals import plural


@pytest.mark.parametrize(
    ("n", "expected"), [(0, "0 breaks"), (1, "1 break"), (2, "2 breaks"), (11, "11 breaks")]
)
def test_only_one_is_singular(n: int, expected: str) -> None:
    assert plural(n, "{n} break", "{n} breaks") == expected


@pytest.mark.parametrize(("n", "expected"), [(0, "0 men"), (1, "1 man"), (2, "2 men")])
def test_the_plural_form_is_used_as_given_not_made_from_the_singular(n: int, expected: str) -> None:
    assert plural(n, "{n} man", "{n} men") == expected
