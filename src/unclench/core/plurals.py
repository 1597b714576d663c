"""Counts in words: "1 break", "2 breaks". One helper for the core and the windows alike.

The caller writes both forms out in full, ``plural(n, "break", "breaks")``, never a stem with
an "s" glued on: when the app is translated, this becomes a gettext ``ngettext`` call, which
needs whole forms (and many languages have more than two).
"""

from __future__ import annotations


def plural(n: int, singular: str, plural_form: str) -> str:
    """``n`` and the form of the word that goes with it, in English: only 1 is singular.

    >>> plural(1, "break", "breaks"), plural(0, "break", "breaks")
    ('1 break', '0 breaks')
    """
    return f"{n} {singular if n == 1 else plural_form}"
