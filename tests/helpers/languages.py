"""A stand-in language for tests of retranslation."""

from __future__ import annotations

import gettext


class Bracketed(gettext.NullTranslations):
    """Every message comes back in brackets, so a word that missed translation shows."""

    def gettext(self, message: str) -> str:
        return f"[{message}]"

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return f"[{msgid1 if n == 1 else msgid2}]"

    def pgettext(self, context: str, message: str) -> str:
        return f"[{message}]"
