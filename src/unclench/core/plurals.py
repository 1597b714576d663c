"""Counts in words: "1 break", "2 breaks", in the current language.

The caller writes both English forms out in full, with ``{n}`` where the number goes:
``plural(n, "{n} break", "{n} breaks")``. Extraction knows ``plural`` (its second and third
arguments are the message), and each language supplies every form it needs (Polish three,
Arabic six, Japanese one).
"""

from __future__ import annotations

from unclench.core.i18n import ngettext


def plural(n: int, singular: str, plural_form: str) -> str:
    """The form of the message that fits ``n``, with ``{n}`` filled in.

    >>> plural(1, "{n} break", "{n} breaks"), plural(0, "{n} break", "{n} breaks")
    ('1 break', '0 breaks')
    """
    return ngettext(singular, plural_form, n).format(n=n)
