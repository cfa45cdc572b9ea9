"""The text rules that kg's graph stages share with the extractors, free of spaCy.

``kg.graph.resolve`` and ``kg.graph.consolidate`` key and merge entities with the same rules the
extractors use inside a paper; they import them from here, so loading, querying and
exporting never import spaCy (which costs most of a CLI start).
"""

from __future__ import annotations

import re
import unicodedata

from .patterns import words

METRIC_MODIFIERS = frozenset(words("metric_modifiers"))


def norm_key(text: str) -> str:
    """The surface key that groups mentions of one entity inside one paper.

    Casefolds, drops hyphens, underscores and spaces, and a plural ``s`` after a capital
    or digit ("RT-DETRs" → "rtdetr"). ``"Llama 2"`` and ``"Llama-2"`` share a key;
    ``"ImageNet-1K"`` and ``"ImageNet"`` do not.
    """
    t = fold_unicode(text).strip()
    if len(t) > 2 and t[-1] == "s" and (t[-2].isupper() or t[-2].isdigit()):
        t = t[:-1]
    return _KEY_DROP.sub("", t.casefold())


# every dash and hyphen (Unicode category Pd: hyphen, non-breaking hyphen, figure dash, en
# and em dash, ...), the minus signs (U+2212, U+FE63, U+FF0D), spaces and underscores
_KEY_DROP = re.compile(r"[\s_\u2212\ufe63\uff0d\-\u058a\u05be\u1400\u1806\u2010-\u2015\u2e17\u2e1a\u2e3a\u2e3b\u2e40\u301c\u3030\u30a0]+")


def fold_unicode(text: str) -> str:
    """``text`` in Unicode NFKC (decomposed accents composed, compatibility forms such as
    full-width letters folded; https://unicode.org/reports/tr15/) without the invisible
    format characters (category Cf: zero-width space and joiners, soft hyphen, bidi marks
    and embeddings, BOM), which never tell two names apart (#14 D11)."""
    t = unicodedata.normalize("NFKC", text)
    if t.isascii():
        return t
    return "".join(c for c in t if unicodedata.category(c) != "Cf")


def is_short_form(text: str) -> bool:
    """A plausible short form: 2-12 chars, one word (hyphens allowed), starts with an
    alphanumeric, has at least one uppercase letter, at least two letters."""
    t = text.strip()
    if not (2 <= len(t) <= 15) or " " in t:
        return False
    if not t[0].isalnum():
        return False
    letters = [c for c in t if c.isalpha()]
    return len(letters) >= 2 and any(c.isupper() for c in t)


def best_long_form(short: str, candidate: str) -> int | None:
    """Schwartz-Hearst match of ``short`` against the end of ``candidate``.

    Returns the character index in ``candidate`` where the long form starts, or None.
    Only letters and digits of the short form are matched, right to left; the first
    one must start a word of the long form.
    """
    s = [c.lower() for c in short if c.isalnum()]
    if not s:
        return None
    si = len(s) - 1
    li = len(candidate) - 1
    while si >= 0:
        c = s[si]
        while li >= 0 and (
            candidate[li].lower() != c or (si == 0 and li > 0 and candidate[li - 1].isalnum())
        ):
            li -= 1
        if li < 0:
            return None
        si -= 1
        li -= 1
    start = li + 1
    # extend to the start of the word
    while start > 0 and candidate[start - 1].isalnum():
        start -= 1
    return start
