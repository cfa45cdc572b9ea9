"""Finding and parsing the numbers of result clauses.

Pure functions over strings: no spaCy here, so the rules can be fuzzed and unit-tested
alone. Values follow ``shared/gold/GUIDELINES.md`` ("Results"): a percentage is the
number before ``%`` (83.8, not 0.838); "85 million" is 85000000; "4.17x" is 4.17 with
unit ``x``; a range "1.0%-2.5%" gives value 1.0 and value_max 2.5.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MULTIPLIERS = {
    "thousand": 1e3, "k": 1e3, "K": 1e3,
    "million": 1e6, "M": 1e6, "mn": 1e6,
    "billion": 1e9, "B": 1e9, "bn": 1e9, "G": 1e9,
    "trillion": 1e12, "T": 1e12,
}

WORD_NUMBERS = {
    "half": 0.5, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100,
    "double": 2, "twice": 2, "triple": 3, "thrice": 3,
}

# Unit words after a number, mapped to the guideline unit. Order matters: longest first.
_UNIT_WORDS = [
    (r"\\?%|percent(?:age points?)?|pp\b", "%"),
    (r"(?:x|×|X)(?![a-zA-Z0-9])(?!\s?\d)|\$?\\times\$?|times\b|-?fold\b", "x"),
    (r"points?\b|pts?\b", "points"),
    (r"dB\b", "dB"),
    (r"(?:parameters|params)\b", "params"),
    (r"(?:[GMTP]?FLOPs|[GMT]?MACs)\b", "FLOPs"),
    (r"tokens?/s\b", "tokens/s"),
    (r"FPS\b|fps\b", "FPS"),
    (r"ms\b|milliseconds?\b", "ms"),
    (r"mins?\b|minutes?\b", "min"),
    (r"h\b|hrs?\b|hours?\b", "h"),
    (r"mm\b", "mm"),
    (r"s\b|sec\b|seconds?\b", "s"),
    (r"(?:GB|GiB)\b", "GB"),
]

_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+"
_MULT = r"(?:thousand|million|billion|trillion|mn|bn|[KMBGT](?![a-zA-Z]))"
_SIGN = r"[+\-−~≈]|\bup to\b\s*|\bover\b\s*|\babout\b\s*|\bnearly\b\s*"

NUMBER_RE = re.compile(
    rf"(?<![\w.])(?P<sign>[+\-−~≈])?(?P<num>{_NUM})"
    rf"(?:\s?(?P<mult>{_MULT}))?"
    rf"(?:\s?(?P<unit>{'|'.join(u for u, _ in _UNIT_WORDS)}))?"
    rf"(?:\s?(?:-|–|—|to|~)\s?(?P<num2>{_NUM})(?:\s?(?P<mult2>{_MULT}))?"
    rf"(?:\s?(?P<unit2>{'|'.join(u for u, _ in _UNIT_WORDS)}))?)?"
)

_SETTING_AFTER = re.compile(r"-(?:shot|way|bit|layer|stage|step|hop|head|gram|class|dimensional|d|token|turn|round)s?\b", re.I)
_UNIT_LOOKUP = [(re.compile(rf"^(?:{u})$"), name) for u, name in _UNIT_WORDS]


@dataclass(frozen=True)
class Number:
    """A number found in text.

    ``start``/``end`` are character offsets of the whole match in the string searched;
    ``value``/``value_max`` are already scaled by any multiplier ("1.3B" → 1.3e9);
    ``unit`` is a guideline unit or "" ; ``signed`` is True for an explicit ``+``/``-``.
    ``scaled`` is True when a multiplier word or letter was applied.
    """

    start: int
    end: int
    value: float
    value_max: float | None
    unit: str
    signed: bool
    scaled: bool
    raw: str


def unit_of(word: str | None) -> str:
    """Map a unit word ("percent", "times", "pts", "\\%") to the guideline unit, or ""."""
    if not word:
        return ""
    for rx, name in _UNIT_LOOKUP:
        if rx.match(word):
            return name
    return ""


def parse_number(text: str) -> float | None:
    """Parse one number: "1,234.5" → 1234.5, "85 million" → 85e6, "1.3B" → 1.3e9,
    "half" → 0.5. Returns None when ``text`` is not a finite number (NaN, ∞, "1e9" words
    aside: scientific notation is accepted)."""
    t = text.strip().replace("−", "-")
    if t.lower() in WORD_NUMBERS:
        return float(WORD_NUMBERS[t.lower()])
    m = re.fullmatch(rf"([+-]?(?:{_NUM}))\s?({_MULT})?", t)
    if m:
        v = float(m.group(1).replace(",", ""))
        if m.group(2):
            v *= MULTIPLIERS[m.group(2)]
        return v
    try:
        v = float(t)
    except ValueError:
        return None
    return v if v == v and v not in (float("inf"), float("-inf")) else None


def _scale(num: str, mult: str | None) -> float:
    v = float(num.replace(",", ""))
    return v * MULTIPLIERS[mult] if mult else v


def find_numbers(text: str) -> list[Number]:
    """All numbers in ``text`` with their unit and range, left to right.

    A range needs both ends on the same scale ("1.0%-2.5%", "1.0-2.5%"); the unit of the
    upper end applies to the lower end when the lower end has none. Hyphenated names
    ("ResNet-50", "GPT-4", "top-1") are not numbers: a number directly after a letter
    or a hyphen that follows a letter is skipped.
    """
    out: list[Number] = []
    pos = 0
    while True:
        m = NUMBER_RE.search(text, pos)
        if m is None:
            break
        pos = m.end()
        if _not_a_number(text, m):
            continue
        n, second = _number_of(text, m)
        if second is not None:
            pos = second
        out.append(n)
    return out


def _not_a_number(text: str, m: re.Match) -> bool:
    """A match that is part of a name ("ResNet-50", "R101", "Qwen2.5", "top-1", "3B-model",
    "3D") or a setting ("5-shot", "4-bit", "12-layer"), not a measured value."""
    s = m.start()
    prev = text[s - 1] if s > 0 else " "
    slash_list = prev == "/" and s > 1 and (text[s - 2].isdigit() or text[s - 2] == "%")  # "0.3%/1.1%"
    if (prev.isalpha() or prev in "_^/" or (prev in "-–" and s > 1 and text[s - 2].isalnum())) and not slash_list:
        if not m.group("sign"):
            return True
    nxt = text[m.end()] if m.end() < len(text) else " "
    if nxt.isalpha() and not m.group("unit") and not m.group("mult"):
        return True  # "3D", "7B-chat", "2x2" handled by unit
    return bool(_SETTING_AFTER.match(text, m.end()))


def _number_of(text: str, m: re.Match) -> tuple[Number, int | None]:
    """The :class:`Number` of a match, and where to read on when the match held two numbers
    that are no range ("from 53.1 to 58.4", "2-1"), else None."""
    s = m.start()
    unit = unit_of(m.group("unit")) or unit_of(m.group("unit2"))
    value = _scale(m.group("num"), m.group("mult") or m.group("mult2") if m.group("num2") else m.group("mult"))
    vmax = _range_max(text, m, value)
    raw = m.group(0)
    second = None
    if m.group("num2") and vmax is None:
        # not a range: this number ends before the separator; the second is read next
        end = m.start("num") + len(m.group("num"))
        if m.group("mult"):
            end = m.end("mult")
        if m.group("unit"):
            end = m.end("unit")
        raw = text[s:end]
        second = m.start("num2")
    sign = m.group("sign")
    if sign in ("-", "−") and not unit:
        # a hyphen before a bare number is usually a dash, not a minus
        sign = None
    if sign in ("-", "−"):
        value = -value
    return Number(start=s, end=s + len(raw), value=value, value_max=vmax, unit=unit,
                  signed=bool(sign and sign in "+-−"), scaled=bool(m.group("mult")), raw=raw), second


def _range_max(text: str, m: re.Match, value: float) -> float | None:
    """The upper end of a range match, or None when the pair is no range."""
    if not m.group("num2"):
        return None
    vmax = _scale(m.group("num2"), m.group("mult2") or m.group("mult"))
    if vmax <= value:  # "2-1" or a date-like pair: not a range
        return None
    first_end = m.end("unit") if m.group("unit") else (m.end("mult") if m.group("mult") else m.end("num"))
    if re.search(r"\bfrom\s+$", text[max(0, m.start() - 8) : m.start()]) and re.match(r"\s?to\b", text[first_end:]):
        return None  # "from 53.1 to 58.4": a change of value, two numbers, not a range
    return vmax


def is_year(n: Number) -> bool:
    """True for a bare four-digit year 1900-2099 with no unit ("in 2023")."""
    return not n.unit and n.value_max is None and n.value.is_integer() and 1900 <= n.value <= 2099 and not n.scaled
