"""Hypothesis strategies for TOML: any value tomllib can return, and literals at its edges."""

from __future__ import annotations

import functools
from datetime import timedelta, timezone
from typing import Any

from hypothesis import strategies as st

#: Values that sit at the edges of what TOML and Python agree on.
HUGE_INTS: tuple[int, ...] = (10**30, -(10**30), 2**63, -(2**63) - 1, 2**64)

#: Literals written straight into a document, for what tomli-w cannot produce itself.
#: ``1`` * 4301 passes Python's int-from-text digit limit (sys.get_int_max_str_digits).
EDGE_LITERALS: tuple[str, ...] = (
    "1" * 4301,
    "-" + "9" * 5000,
    "0x" + "f" * 40,
    "1e400",
    "-1e400",
    "nan",
    "+nan",
    "-nan",
    "inf",
    "-inf",
    "-0.0",
    "9223372036854775808",
    "1_000",
    "0o777",
    "0b101",
    "1979-05-27T07:32:00Z",
    "1979-05-27T00:32:00.999999-07:00",
    "1979-05-27",
    "07:32:00",
    '"\\u00e9\\t"',
    "'lit'",
    '"""multi\nline"""',
    "[]",
    "{}",
    "true",
    "[1, 'a', {x = 1}, [2.5]]",
)


@functools.cache  # building a strategy is costly; drawing from one is not
def toml_keys() -> st.SearchStrategy[str]:
    """Bare, quoted, empty and non-ASCII keys (tomli-w quotes what needs it)."""
    return st.one_of(
        st.from_regex(r"[A-Za-z0-9_-]{1,12}", fullmatch=True),
        st.text(max_size=8),
    )


def _offsets() -> st.SearchStrategy[timezone]:
    # TOML offsets are whole minutes within a day.
    return st.integers(-1439, 1439).map(lambda m: timezone(timedelta(minutes=m)))


@functools.cache
def toml_scalars(*, allow_nan: bool = True) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.booleans(),
        st.integers(),
        st.sampled_from(HUGE_INTS),
        st.floats(allow_nan=allow_nan),
        st.text(max_size=20),
        st.datetimes(timezones=st.none() | _offsets()),
        st.dates(),
        st.times(),
    )


@functools.cache
def toml_values(*, allow_nan: bool = True, max_leaves: int = 12) -> st.SearchStrategy[Any]:
    """Any value a TOML document can hold: scalars, arrays (mixed types too) and tables."""
    return st.recursive(
        toml_scalars(allow_nan=allow_nan),
        lambda children: st.one_of(
            st.lists(children, max_size=4),
            st.dictionaries(toml_keys(), children, max_size=4),
        ),
        max_leaves=max_leaves,
    )


@st.composite
def deeply_nested(draw: st.DrawFn, max_depth: int = 200) -> Any:
    """One leaf inside up to ``max_depth`` arrays and tables, mixed at random."""
    value: Any = draw(toml_scalars(allow_nan=False))
    depth = draw(st.integers(1, max_depth))
    shape = draw(st.lists(st.booleans(), min_size=depth, max_size=depth))
    for as_table in shape:
        value = {"k": value} if as_table else [value]
    return value
