"""Read papers from input files: the first stage of kg.

Two input formats are understood:

* **"Daily Papers" text listings** (``.txt``): page chrome at the top, then one entry per
  paper: a title line, an abstract paragraph, and optionally a metadata block
  (``• N authors`` or an organisation line, a ``·`` line, a date line such as
  ``Jan 9, 2022`` possibly followed by a vote count). Entries are found by structure,
  not by matching the chrome's exact words (see :func:`read_listing`).
* **JSON Lines** (``.jsonl``, ``.ndjson``, ``.json``, and their ``.gz`` variants):
  ``{"id", "title", "abstract", ...}`` objects, including the arXiv metadata snapshot
  layout (``authors`` as one string, ``categories`` space separated, ``update_date``).
  A ``.json`` file holding one JSON array of such objects is read too, streamed with ijson.
  ``.gz`` files are gunzipped on the fly (:func:`gzip.open`).

Every reader yields :class:`~kg.graph.records.Paper` objects and :class:`Reject` records (one
per line or file that could not be read, with a ``file:line`` source and a one-line
reason); reading goes on after a bad line. :func:`read_papers` reads many paths and merges
papers that share an id.

Papers without an id of their own get :func:`paper_id` of their title. It is the first
10 hex digits of the SHA-1 of the whitespace-normalised title, which is the id scheme the
gold files in ``shared/gold`` use, so papers read from a listing carry the same ids as
the gold records.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import zlib
from collections.abc import Iterable, Iterator
from itertools import chain
from dataclasses import dataclass
from datetime import date as _date
from datetime import datetime
from pathlib import Path
from typing import Any

import dateutil.parser
import ijson
from pydantic import ValidationError

from kg.errors import KgError, one_line
from kg.graph.records import Paper, PaperInput

__all__ = [
    "IngestError",
    "PaperStream",
    "Reject",
    "paper_id",
    "read_jsonl",
    "read_listing",
    "read_path",
    "parse_shard",
    "read_papers",
    "shard_of",
    "title_key",
]

JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")
LISTING_SUFFIXES = (".txt",)
_BINARY_SNIFF_BYTES = 8192
# Longer than any real title or abstract (arXiv caps abstracts at 1,920 characters): such a
# field is not a paper's text, and extraction time grows faster than its length (1 MB of
# prose takes minutes), so the record is rejected with its length.
MAX_TITLE_CHARS = 2_000
MAX_ABSTRACT_CHARS = 200_000
MAX_LISTING_BYTES = 32 * 2**20  # a text listing is read whole: 32 MB of text at most
_BOM = b"\xef\xbb\xbf"

# Listing structure: bounds that separate titles from abstracts and from page chrome.
_TITLE_MAX_CHARS = 300
_ABSTRACT_MIN_CHARS = 100
_ABSTRACT_MIN_WORDS = 12

_MONTH_NAMES = dateutil.parser.parserinfo()
_DATE_DEFAULTS = (datetime(2000, 1, 1), datetime(2001, 2, 2))
_DATE_RE = re.compile(
    r"^(?P<mon>[A-Za-z]{3,9})\.?\s+(?P<day>\d{1,2})(?:\s*,\s*(?P<year>\d{4}))?(?:\s+\d+)?$"
)
_AUTHORS_RE = re.compile(r"^(?:[•*]\s*)?(?P<n>\d+)\s+authors?$", re.IGNORECASE)
_SENTENCE_BREAK_RE = re.compile(r"\.\s+[A-Z]")
_WS_RE = re.compile(r"\s+")
_NON_ALNUM_RE = re.compile(r"[\W_]+")
_AUTHOR_SPLIT_RE = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+")


class IngestError(KgError):
    """An input path cannot be read at all (missing, a directory where a file is needed,
    no permission). Problems inside a readable file are :class:`Reject` records instead."""


@dataclass(frozen=True)
class Reject:
    """One input line (or whole file) that did not give a paper.

    ``source`` is ``file:line`` (or ``file`` for a whole-file problem), ``reason`` a
    one-line explanation, ``record_id`` the record's id when it was known.
    """

    source: str
    reason: str
    record_id: str | None = None


# --------------------------------------------------------------------------- helpers


def _norm_ws(text: str) -> str:
    """Collapse every run of whitespace to one space and strip the ends."""
    return _WS_RE.sub(" ", text).strip()


def paper_id(title: str) -> str:
    """Stable id for a paper whose input gives none: 10 hex chars of SHA-1 of the title.

    The title is whitespace-normalised first (runs of whitespace collapsed to one space,
    ends stripped), so ``paper_id(" A  B\\n")`` equals ``paper_id("A B")``. Case and
    punctuation are kept: this is the scheme ``shared/gold/*.jsonl`` ids use, so a paper
    read from a listing gets the id its gold record has.

    >>> paper_id("Attention Is All You Need") == paper_id("Attention  Is All You Need ")
    True
    """
    return hashlib.sha1(_norm_ws(title).encode("utf-8")).hexdigest()[:10]


def title_key(title: str) -> str:
    """Loose comparison key for titles: casefolded, non-alphanumerics collapsed to one
    space. Two titles with the same key name the same paper for practical purposes."""
    return _NON_ALNUM_RE.sub(" ", title.casefold()).strip()


def _read_input_bytes(path: Path) -> bytes:
    """The file's bytes, gunzipped (streamed through :func:`gzip.open`) when the name ends in ``.gz``.

    Raises :class:`IngestError` for a missing path, a directory or an unreadable file;
    a corrupt gzip stream raises :class:`_BadFile` (callers turn it into a Reject).
    """
    if not path.exists():
        raise IngestError(f"{path}: no such file or directory")
    if path.is_dir():
        raise IngestError(f"{path}: is a directory, expected a file")
    gz = path.name.lower().endswith(".gz")
    try:
        with _open_stream(path) as f:
            data = f.read(MAX_LISTING_BYTES + 1)
    except (EOFError, zlib.error) as exc:
        raise _BadFile(f"not a valid gzip file: {exc}") from exc
    except OSError as exc:
        if gz:
            raise _BadFile(f"not a valid gzip file: {exc}") from exc
        raise IngestError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    if len(data) > MAX_LISTING_BYTES:
        # a listing is read whole (an entry is recognised by the lines around it), so it is
        # bounded: a 9 MB .txt.gz that expands to gigabytes is refused, not read (#14 D8)
        raise _BadFile(f"expands to more than {MAX_LISTING_BYTES // 2**20} MB of text: "
                       "too large for a listing page, not read (split it, or give JSON Lines)")
    return data


class _BadFile(Exception):
    """Internal: the whole file must be rejected with this message."""


def _is_binary(data: bytes) -> bool:
    return b"\x00" in data[:_BINARY_SNIFF_BYTES]


def _split_lines(data: bytes) -> list[bytes]:
    """Lines of ``data`` without BOM, ``\\n`` or a trailing ``\\r``."""
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    return [ln[:-1] if ln.endswith(b"\r") else ln for ln in lines]


def _decode_line(raw: bytes) -> tuple[str | None, str | None]:
    """(text, None) or (None, reason) when ``raw`` is not valid UTF-8."""
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        bad = raw[exc.start : exc.start + 1].hex()
        return None, f"not valid UTF-8 (byte 0x{bad} at column {exc.start + 1})"


def _one_line(text: str, limit: int = 160) -> str:
    text = _norm_ws(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _load(path: Path) -> tuple[bytes | None, Reject | None]:
    """Bytes of the file, or a whole-file Reject (binary or corrupt gzip)."""
    try:
        data = _read_input_bytes(path)
    except _BadFile as exc:
        return None, Reject(path.name, str(exc))
    if _is_binary(data):
        return None, Reject(path.name, "binary file (NUL bytes in the first 8 kB), not read")
    return data, None


def _parse_date_text(text: str) -> tuple[bool, str | None]:
    """(is_a_date, iso_or_None) for a listing date such as ``Jan 9, 2022`` or ``Feb 4 3``.

    A date without a year (``Feb 4``) is recognised but has no ISO form: None.
    A trailing number after the date (the listing's vote count) is ignored.
    """
    m = _DATE_RE.match(text)
    if not m:
        return False, None
    month = _MONTH_NAMES.month(m.group("mon"))  # Jan, January, Sept ... (dateutil's table)
    if month is None:
        return False, None
    day = int(m.group("day"))
    if not 1 <= day <= 31:
        return False, None
    if m.group("year") is None:
        return True, None
    try:
        return True, _date(int(m.group("year")), month, day).isoformat()
    except ValueError:
        return False, None


# --------------------------------------------------------------------------- listings


@dataclass
class _Line:
    no: int  # 1-based line number in the file
    text: str  # stripped
    kind: str  # "text" | "meta"
    n_authors: int | None = None
    date: str | None = None
    has_date: bool = False
    org: str | None = None


def _classify(no: int, text: str) -> _Line:
    """Tell metadata lines (``• 7 authors``, ``·``, ``Jan 9, 2022 3``, and the combined
    ``• 7 authors · Jan 9, 2022`` or ``Org name · Jan 9``) from text lines."""
    parts = [p.strip() for p in re.split(r"[·|]", text)]
    if text in ("•", "·", "-", "|"):
        return _Line(no, text, "meta")
    n_authors: int | None = None
    iso: str | None = None
    has_date = False
    others: list[str] = []
    for part in parts:
        if not part:
            continue
        m = _AUTHORS_RE.match(part)
        if m:
            n_authors = int(m.group("n"))
            continue
        ok, d = _parse_date_text(part)
        if ok:
            has_date, iso = True, d
            continue
        others.append(part)
    known = n_authors is not None or has_date
    if not others and (known or len(parts) > 1):
        return _Line(no, text, "meta", n_authors, iso, has_date)
    # "Org name · date": one leading unknown part, then recognised metadata.
    if len(others) == 1 and known and len(parts) > 1 and parts[0] == others[0]:
        return _Line(no, text, "meta", n_authors, iso, has_date, org=others[0])
    return _Line(no, text, "text")


def _title_like(line: _Line) -> bool:
    t = line.text
    return (
        line.kind == "text"
        and len(t) <= _TITLE_MAX_CHARS
        and not _SENTENCE_BREAK_RE.search(t)
    )


def _abstract_like(line: _Line, title: _Line) -> bool:
    t = line.text
    return (
        line.kind == "text"
        and len(t) >= _ABSTRACT_MIN_CHARS
        and len(t.split()) >= _ABSTRACT_MIN_WORDS
        and len(t) > len(title.text)
    )


def read_listing(path: str | Path) -> Iterator[Paper | Reject]:
    """Read a "Daily Papers" text listing; yield one :class:`Paper` per entry.

    An entry is a *title* line (at most 300 chars, no internal ``". X"`` sentence break)
    whose next non-blank line is an *abstract* paragraph (at least 100 chars and 12 words,
    longer than the title); blank lines between them are allowed. After the abstract an
    optional metadata block is consumed: a ``• N authors`` line or an organisation line,
    a ``·`` line and a date line (``Jan 9, 2022``, ``Feb 4``, either maybe followed by a
    vote count), also when combined on one line with ``·`` between the parts.

    Each Paper has ``id = paper_id(title)``, the title and abstract exactly as in the file
    (line stripped), ``n_authors`` when given, ``date`` as ISO ``YYYY-MM-DD`` when the date
    line has a year (else None), and ``sources = ("<file name>:<title line>",)``.

    Lines before the first entry are page chrome and skipped silently. A text line after
    the first entry that belongs to no entry, and a line that is not valid UTF-8, yield a
    :class:`Reject` (``file:line``). A binary file yields one Reject for the file.

    Raises :class:`IngestError` at call time when ``path`` is missing or not a file.
    """
    path = Path(path)
    data, reject = _load(path)  # raises IngestError now, not on first next()
    return _iter_listing(path, data, reject)


def _iter_listing(path: Path, data: bytes | None, reject: Reject | None) -> Iterator[Paper | Reject]:
    name = path.name
    if reject is not None or data is None:
        if reject is not None:
            yield reject
        return
    items: list[_Line] = []
    bad: dict[int, str] = {}
    for no, raw in enumerate(_split_lines(data), start=1):
        text, err = _decode_line(raw)
        if err is not None:
            bad[no] = err
            items.append(_Line(no, "", "bad"))
            continue
        assert text is not None
        text = text.strip()
        if text:
            items.append(_classify(no, text))

    seen_entry = False
    i, n = 0, len(items)
    while i < n:
        cur = items[i]
        if cur.kind == "bad":
            yield Reject(f"{name}:{cur.no}", bad[cur.no])
            i += 1
            continue
        nxt = items[i + 1] if i + 1 < n else None
        if nxt is not None and _title_like(cur) and _abstract_like(nxt, cur):
            seen_entry = True
            j = i + 2
            n_authors: int | None = None
            iso: str | None = None
            # Optional organisation line: a text line directly followed by metadata.
            if (
                j + 1 < n
                and items[j].kind == "text"
                and len(items[j].text) <= _TITLE_MAX_CHARS
                and items[j + 1].kind == "meta"
            ):
                j += 1
            while j < n and items[j].kind == "meta":
                if items[j].n_authors is not None:
                    n_authors = items[j].n_authors
                if items[j].has_date:
                    iso = items[j].date
                    j += 1
                    break  # the date closes the block
                j += 1
            too_long = _too_long(cur.text, nxt.text)
            if too_long:
                yield Reject(f"{name}:{nxt.no}", too_long, paper_id(cur.text))
                i = j
                continue
            try:
                yield Paper(
                    id=paper_id(cur.text),
                    title=cur.text,
                    abstract=nxt.text,
                    date=iso,
                    n_authors=n_authors,
                    sources=(f"{name}:{cur.no}",),
                )
            except ValidationError as exc:  # pragma: no cover - defensive
                yield Reject(f"{name}:{cur.no}", f"invalid paper: {_one_line(str(exc))}")
            i = j
            continue
        if seen_entry and cur.kind == "text":
            yield Reject(
                f"{name}:{cur.no}",
                f"line belongs to no paper entry (no title/abstract pair): {_one_line(cur.text, 60)!r}",
            )
        i += 1


# --------------------------------------------------------------------------- JSON Lines

_ARXIV_KEYS = frozenset({"update_date", "versions", "authors_parsed", "categories", "submitter"})


class _BadRecord(Exception):
    """Internal: this record must be rejected with this message."""


def _type_name(v: Any) -> str:
    return "null" if v is None else type(v).__name__


def _split_authors(text: str) -> tuple[str, ...]:
    """``"A, B and C"`` → ``("A", "B", "C")`` (Oxford comma and newlines allowed)."""
    text = _norm_ws(text)
    if not text:
        return ()
    return tuple(a for a in (p.strip() for p in _AUTHOR_SPLIT_RE.split(text)) if a)


def _authors(rec: PaperInput) -> tuple[str, ...]:
    """``authors`` (``"A, B and C"`` or a list), else ``authors_parsed`` ([last, first, suffix])."""
    if isinstance(rec.authors, str):
        return _split_authors(rec.authors)
    if rec.authors is not None:
        return tuple(_norm_ws(a) for a in rec.authors if a.strip())
    out = []
    for p in rec.authors_parsed or []:
        last, first, *rest = p + [""] if len(p) == 1 else p
        out.append(_norm_ws(" ".join([first, last, *rest])))
    return tuple(a for a in out if a)


def _categories(rec: PaperInput) -> tuple[str, ...]:
    if isinstance(rec.categories, str):
        return tuple(rec.categories.split())
    return tuple(c.strip() for c in rec.categories or [] if c.strip())


def _to_iso(text: str, key: str) -> str:
    """The ISO date of a record's date field: the listing's form (``Jan 9, 2022``, a vote
    count after it allowed), else any form dateutil reads that names a year, month and day
    (``2021-02-03``, ``2021-02-03T10:00:00Z``, ``Mon, 4 Jan 2021 10:00:00 GMT``, ``9 January
    2022``). A date without a year, month or day is a _BadRecord."""
    s = text.strip()
    shaped, iso = _parse_date_text(s)
    if not shaped:
        try:
            # parsed twice with different defaults: a part the text lacks shows as a difference
            a, b = (dateutil.parser.parse(s, default=d).date() for d in _DATE_DEFAULTS)
            iso = a.isoformat() if a == b else None
        except (ValueError, OverflowError):  # dateutil's ParserError is a ValueError
            iso = None
    if iso is None:
        raise _BadRecord(f"field {key!r} is not a date: {_one_line(s, 40)!r}")
    return iso


def _record_date(rec: PaperInput) -> str | None:
    for key in ("date", "update_date", "published"):
        v = getattr(rec, key)
        if v and v.strip():
            return _to_iso(v, key)
    versions = rec.versions
    if isinstance(versions, list) and versions and isinstance(versions[0], dict):
        created = versions[0].get("created")
        if isinstance(created, str) and created.strip():
            return _to_iso(created, "versions")
    return None


# what each field of PaperInput must be, for the one-line reason of a Reject
_EXPECTED = {
    "id": "a string or an integer",
    "authors": "a string or a list of strings",
    "authors_parsed": "a list of [last, first, suffix] lists",
    "n_authors": "a non-negative integer",
    "categories": "a string or a list of strings",
}


def _input_error(exc: ValidationError, obj: Any) -> str:
    """The first error of :class:`PaperInput` as one line: the field, what it must be, what it is
    (an element's type and index when a list holds a wrong element)."""
    errors = exc.errors()
    if not errors[0]["loc"] or not isinstance(obj, dict):
        return f"expected a JSON object, got {_type_name(obj)}"
    key = str(errors[0]["loc"][0])
    value = obj.get(key)
    inner = next((e for e in errors if e["loc"][:1] == (key,) and any(isinstance(x, int) for x in e["loc"])), None)
    if inner is not None:
        at = "".join(f"[{x}]" for x in inner["loc"] if isinstance(x, int))
        got = f"{'an empty list' if inner['input'] == [] else _type_name(inner['input'])} at {at}"
    elif key == "n_authors" and isinstance(value, (int, float, str)):
        got = _one_line(repr(value), 40)
    else:
        got = _type_name(value)
    return f"field {key!r} must be {_EXPECTED.get(key, 'a string')}, got {got}"


def _record_to_paper(obj: Any, source: str) -> Paper:
    """Build a Paper from one decoded JSON value; raise _BadRecord with a reason."""
    try:
        rec = PaperInput.model_validate(obj)
    except ValidationError as exc:
        raise _BadRecord(_input_error(exc, obj)) from None
    rid = (str(rec.id).strip() or None) if rec.id is not None else None
    arxiv = bool(_ARXIV_KEYS & obj.keys()) or isinstance(rec.authors, str)
    if arxiv:
        title, abstract = _norm_ws(rec.title), _norm_ws(rec.abstract)
    else:
        title, abstract = rec.title.strip(), rec.abstract.strip()
    if not title and not abstract:
        raise _BadRecord("record has neither a title nor an abstract")
    too_long = _too_long(title, abstract)
    if too_long:
        raise _BadRecord(too_long)
    if rid is None and not title:
        raise _BadRecord("record has no id and no title to derive one from")
    authors = _authors(rec)
    try:
        return Paper(
            id=rid if rid is not None else paper_id(title),
            title=title,
            abstract=abstract,
            date=_record_date(rec),
            authors=authors,
            n_authors=rec.n_authors if rec.n_authors is not None else (len(authors) or None),
            categories=_categories(rec),
            sources=(source,),
        )
    except ValidationError as exc:
        raise _BadRecord(f"invalid paper: {_one_line(str(exc))}") from exc


def _too_long(title: str, abstract: str) -> str | None:
    """The reason when the title or abstract is longer than kg reads, else None."""
    if len(title) > MAX_TITLE_CHARS:
        return f"title too long: {len(title)} characters (at most {MAX_TITLE_CHARS})"
    if len(abstract) > MAX_ABSTRACT_CHARS:
        return f"abstract too long: {len(abstract)} characters (at most {MAX_ABSTRACT_CHARS})"
    return None


def _record_id_of(obj: Any) -> str | None:
    if isinstance(obj, dict) and isinstance(obj.get("id"), (str, int)) and not isinstance(obj.get("id"), bool):
        return str(obj["id"]).strip() or None
    return None


def read_jsonl(path: str | Path) -> Iterator[Paper | Reject]:
    """Read JSON Lines of paper objects; yield a :class:`Paper` or a :class:`Reject` per line.

    Each non-blank line must be a JSON object with at least a non-empty ``title`` or
    ``abstract`` (strings when present). Used fields: ``id`` (string or integer, kept as
    a string; when absent the id is :func:`paper_id` of the title), ``title``,
    ``abstract``, ``authors`` (``"A, B and C"`` or a list; else ``authors_parsed``),
    ``n_authors`` (else the number of authors), ``categories`` (space-separated string
    or list), ``date`` / ``update_date`` / ``published`` / ``versions[0].created`` (→ ISO
    date). Other fields are ignored. Records in the arXiv snapshot layout (any of
    ``update_date``, ``versions``, ``authors_parsed``, ``categories``, ``submitter``, or a
    string ``authors``) get title and abstract whitespace-normalised (runs → one space);
    other records are only stripped. ``sources = ("<file name>:<line>",)``.

    Bad lines yield ``Reject("<file name>:<line>", reason, id-if-known)`` and reading goes
    on: invalid or truncated JSON, not an object, invalid UTF-8, wrong field types
    (e.g. ``"abstract": 42`` / ``null`` / a list), no title and no abstract, a title longer
    than :data:`MAX_TITLE_CHARS` or an abstract longer than :data:`MAX_ABSTRACT_CHARS`. A UTF-8 BOM and
    CRLF line ends are accepted. A file whose content starts with ``[`` is read as one
    JSON array of objects, streamed element by element (``line`` is where each element
    starts; invalid JSON or a byte that is not UTF-8 ends the array with one Reject at that
    line, after the elements before it), and a file holding one pretty-printed object spread
    over several lines as that one record. A binary file yields one Reject for the file;
    ``.gz`` files are gunzipped as they are read (a corrupt stream ends the file with one
    Reject, after the records before it).

    Raises :class:`IngestError` at call time when ``path`` is missing or not a file.
    """
    path = Path(path)
    if not path.exists():
        raise IngestError(f"{path}: no such file or directory")
    if path.is_dir():
        raise IngestError(f"{path}: is a directory, expected a file")
    return _stream_jsonl(path)


def _open_stream(path: Path):
    """A binary stream of the file, gunzipped on the fly when the name ends in ``.gz``."""
    try:
        return gzip.open(path, "rb") if path.name.lower().endswith(".gz") else path.open("rb")
    except OSError as exc:
        raise IngestError(f"{path}: cannot read: {exc.strerror or exc}") from exc


def _stream_jsonl(path: Path) -> Iterator[Paper | Reject]:
    """The one JSON reader: JSON Lines, a JSON array or one pretty-printed object, streamed.

    The first non-blank line decides. A ``[`` line that is not a whole JSON value, or a
    lone ``[...]`` line, starts a JSON array, streamed element by element with ijson. A
    ``{`` line that is not a whole JSON value may start one object spread over several
    lines (parsed with ijson; if the file is not exactly one object, it is read again as
    JSON Lines). Anything else is JSON Lines, read line by line. Memory does not grow with
    the file in any case.
    """
    name = path.name
    try:
        with _open_stream(path) as f:
            if _is_binary(f.peek(_BINARY_SNIFF_BYTES)[:_BINARY_SNIFF_BYTES]):
                yield Reject(name, "binary file (NUL bytes in the first 8 kB), not read")
                return
            lines = _numbered_lines(f)
            head = _first_nonblank(lines)
            first = head[-1][1].lstrip() if head else b""
            if first[:1] in (b"{", b"[") and not _whole_json(first):
                if first[:1] == b"[":
                    yield from _json_array(name, _LineReader(chain(head, lines)))
                    return
                no, obj = head[-1][0], _one_value(_LineReader(chain(head, lines)))
                if isinstance(obj, dict):
                    yield from _record(name, no, obj)
                    return
            else:
                if first[:1] == b"[":
                    more = _first_nonblank(lines)
                    head += more
                    if not (more and more[-1][1].strip()):  # no second record: one JSON array on one line
                        yield from _json_array(name, _LineReader(iter(head)))
                        return
                for no, raw in chain(head, lines):
                    yield from _jsonl_line(name, no, raw)
                return
        with _open_stream(path) as f:  # not one object after all: JSON Lines from the top
            for no, raw in _numbered_lines(f):
                yield from _jsonl_line(name, no, raw)
    except (OSError, EOFError, zlib.error) as exc:
        yield Reject(name, f"not a valid gzip file or unreadable: {exc}")


def _numbered_lines(f) -> Iterator[tuple[int, bytes]]:
    """``(line number, bytes)`` without BOM (first line), ``\\n`` or a trailing ``\\r``."""
    for no, ln in enumerate(f, start=1):
        if no == 1 and ln.startswith(_BOM):
            ln = ln[len(_BOM):]
        if ln.endswith(b"\n"):
            ln = ln[:-1]
        if ln.endswith(b"\r"):
            ln = ln[:-1]
        yield no, ln


def _first_nonblank(lines: Iterator[tuple[int, bytes]]) -> list[tuple[int, bytes]]:
    """The next non-blank line as a one-item list (empty if none is left). The blank lines
    before it are skipped, not kept: 20 MB of newlines in a 20 kB gzip (#14 D8) must not
    become 20 million list items; blank lines carry nothing and each line keeps its number."""
    for no, raw in lines:
        if raw.strip():
            return [(no, raw)]
    return []


def _whole_json(line: bytes) -> bool:
    try:
        json.loads(line)
    except (ValueError, RecursionError):
        return False
    return True


class _NotUtf8(Exception):
    """Internal: a line of a JSON document is not valid UTF-8 (the message says where)."""


class _LineReader:
    """A file-like ``read()`` over numbered lines, one line per call, for ijson: ``line`` is
    the number of the last line handed over, i.e. where the parser is. Lines are checked
    to be UTF-8 (:class:`_NotUtf8`)."""

    def __init__(self, lines: Iterator[tuple[int, bytes]]):
        self._lines = lines
        self.line = 0

    def read(self, size: int = -1) -> bytes:
        if size == 0:
            return b""
        for no, raw in self._lines:
            _, err = _decode_line(raw)
            if err is not None:
                self.line = no
                raise _NotUtf8(err)
            # newlines between lines, none after the last; never b"" (ijson reads that as the end)
            chunk, self.line = (b"\n" if self.line else b"") + raw, no
            return chunk or b" "
        return b""


def _one_value(reader: _LineReader) -> Any:
    """The document's one JSON value, or None when it is not exactly one value (or not UTF-8)."""
    values = ijson.items(reader, "", use_float=True)
    try:
        value = next(values)
        next(values, None)  # raises on anything after the value
    except (ijson.JSONError, _NotUtf8, StopIteration):
        return None
    return value


def _json_array(name: str, reader: _LineReader) -> Iterator[Paper | Reject]:
    """The Papers and Rejects of a JSON array, element by element (``name:line`` is where each
    element starts). Invalid JSON ends the array with one Reject; what follows ``]`` is ignored."""
    builder: ijson.ObjectBuilder | None = None
    start = 0
    try:
        for prefix, event, value in ijson.parse(reader, use_float=True):
            if builder is not None:
                builder.event(event, value)
                if prefix == "item" and event in ("end_map", "end_array"):
                    yield from _record(name, start, builder.value)
                    builder = None
            elif prefix == "item":
                if event in ("start_map", "start_array"):
                    builder, start = ijson.ObjectBuilder(), reader.line
                    builder.event(event, value)
                else:  # a scalar element
                    yield from _record(name, reader.line, value)
            elif prefix == "" and event == "end_array":
                return
    except _NotUtf8 as exc:
        yield Reject(f"{name}:{reader.line}", f"{exc}; rest of the array not read")
        return
    except ijson.JSONError as exc:  # IncompleteJSONError: the C backend's premature EOF, the Python one's
        msg = one_line(exc) if str(exc) else "parse error"
        if "premature EOF" in msg or "Incomplete JSON" in msg:
            yield Reject(f"{name}:{reader.line}", "invalid JSON: unterminated array")
        else:
            yield Reject(f"{name}:{reader.line}", f"invalid JSON: {msg}; rest of the array not read")
        return


def _record(name: str, no: int, obj: Any) -> Iterator[Paper | Reject]:
    """The Paper of one decoded record, or its Reject (``name:no``)."""
    src = f"{name}:{no}"
    try:
        yield _record_to_paper(obj, src)
    except _BadRecord as exc:
        yield Reject(src, str(exc), _record_id_of(obj))


def _jsonl_line(name: str, no: int, raw: bytes) -> Iterator[Paper | Reject]:
    """The Paper or Reject of one JSON Lines line (nothing for a blank line)."""
    src = f"{name}:{no}"
    text, err = _decode_line(raw)
    if err is not None:
        yield Reject(src, err)
        return
    assert text is not None
    if not text.strip():
        return
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        yield Reject(src, f"invalid JSON: {exc.msg} at column {exc.colno}")
        return
    except RecursionError:
        yield Reject(src, "invalid JSON: nested too deeply")
        return
    yield from _record(name, no, obj)


# --------------------------------------------------------------------------- dispatch


def _base_suffix(path: Path) -> str:
    """Lower-case suffix, looking through a trailing ``.gz``."""
    name = path.name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    return Path(name).suffix


def _known(path: Path) -> bool:
    return _base_suffix(path) in JSONL_SUFFIXES + LISTING_SUFFIXES


def read_path(path: str | Path) -> Iterator[Paper | Reject]:
    """Read one file or a directory tree; yield Papers and Rejects.

    Dispatch by suffix (case-insensitive, looking through ``.gz``): ``.jsonl``,
    ``.ndjson``, ``.json`` → :func:`read_jsonl`; ``.txt`` → :func:`read_listing`. Any other
    file is sniffed: first non-blank character ``{`` or ``[`` → JSON Lines, else listing.
    A directory is walked recursively and every file with a known suffix is read, in
    sorted order of the relative path (hidden files and directories are skipped; files
    with other suffixes are ignored). A binary file yields one Reject for the file, and so
    does a file that gives no paper and no other Reject (empty, only blank lines, ``[]``,
    a listing with no entry).

    Raises :class:`IngestError` at call time when ``path`` does not exist (message ends
    with ``": no such file or directory"``); a file inside a directory that vanishes while
    reading raises it on iteration.
    """
    path = Path(path)
    if not path.exists():
        raise IngestError(f"{path}: no such file or directory")
    if path.is_dir():
        files = sorted(
            (
                p
                for p in path.rglob("*")
                if p.is_file()
                and _known(p)
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            ),
            key=lambda p: p.relative_to(path).as_posix(),
        )
        return _chain(files)
    return _read_file(path)


def _chain(files: list[Path]) -> Iterator[Paper | Reject]:
    for f in files:
        yield from _read_file(f)


def _read_file(path: Path) -> Iterator[Paper | Reject]:
    """The file's Papers and Rejects; one Reject for the file when it gives neither."""
    return _or_nothing_found(path, _dispatch(path))


def _or_nothing_found(path: Path, items: Iterator[Paper | Reject]) -> Iterator[Paper | Reject]:
    found = False
    for item in items:
        found = True
        yield item
    if not found:
        try:
            with path.open("rb") as f:
                head = f.read(65536)
            empty = not head.strip() and path.stat().st_size <= len(head) and not path.name.lower().endswith(".gz")
        except OSError:
            empty = False
        if empty:
            yield Reject(path.name, "empty file: no records")
        elif _base_suffix(path) in JSONL_SUFFIXES:
            yield Reject(path.name, "no records in the file")
        else:
            yield Reject(path.name, "no paper entries in the file (a title line, then an abstract paragraph)")


def _dispatch(path: Path) -> Iterator[Paper | Reject]:
    suffix = _base_suffix(path)
    if suffix in JSONL_SUFFIXES:
        return read_jsonl(path)
    if suffix in LISTING_SUFFIXES:
        return read_listing(path)
    return _stream_jsonl(path) if _first_char(path) in (b"{", b"[") else read_listing(path)


def _first_char(path: Path) -> bytes:
    """The file's first non-blank byte (after a BOM), b"" when it has none or cannot be read."""
    try:
        with _open_stream(path) as f:
            head = f.read(_BINARY_SNIFF_BYTES).removeprefix(_BOM)
            while head and not head.lstrip():
                head = f.read(_BINARY_SNIFF_BYTES)
            return head.lstrip()[:1]
    except (OSError, EOFError, zlib.error):
        return b""


# --------------------------------------------------------------------------- merging


def shard_of(paper_id_: str, n: int) -> int:
    """The shard (``0 .. n-1``) of a paper id: the SHA-1 of the id, as an integer, mod ``n``.

    Depends on the id alone, so a paper lands in the same shard whatever the input order,
    file split or machine; the shards of ``n`` partition any input."""
    return int.from_bytes(hashlib.sha1(paper_id_.encode("utf-8")).digest()[:8], "big") % n


def parse_shard(text: str) -> tuple[int, int]:
    """``"i/n"`` → ``(i, n)`` with ``0 <= i < n``; raises :class:`IngestError` otherwise."""
    m = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text or "")
    if not m or int(m[2]) < 1 or int(m[1]) >= int(m[2]):
        raise IngestError(f"shard {text!r} is not i/n with 0 <= i < n (e.g. 0/4 ... 3/4)")
    return int(m[1]), int(m[2])


class PaperStream:
    """Papers of many inputs, merged by id, streamed: memory holds ids, not texts.

    Reads the inputs twice. The first pass (at construction) notes the position of each
    id's first occurrence and keeps only the *later* occurrences of ids seen more than
    once; the second (each iteration) yields every Paper at its first occurrence, merged
    with its later ones as :func:`read_papers` describes, and every :class:`Reject` in the
    order met (a "duplicate id with different text" Reject right after its paper).
    ``total`` is the number of distinct papers that iteration yields.

    ``shard=(i, n)`` keeps only papers whose :func:`shard_of` is ``i``; read rejects (bad
    lines, bad files) are reported by shard 0 only, so the shards' outputs add up to the
    unsharded output. Raises :class:`IngestError` when a path does not exist.
    """

    def __init__(self, paths: Iterable[str | Path], shard: tuple[int, int] | None = None):
        self.paths = [Path(p) for p in paths]
        self.shard = shard
        for p in self.paths:
            if not p.exists():
                raise IngestError(f"{p}: no such file or directory")
        self._first: dict[str, int] = {}
        self._later: dict[str, list[Paper]] = {}
        pos = 0
        for item in self._items():
            if isinstance(item, Reject):
                continue
            if item.id in self._first:
                self._later.setdefault(item.id, []).append(item)
            else:
                self._first[item.id] = pos
            pos += 1
        self.total = sum(1 for k in self._first if self._keep(k))

    def _keep(self, pid: str) -> bool:
        return self.shard is None or shard_of(pid, self.shard[1]) == self.shard[0]

    def _items(self) -> Iterator[Paper | Reject]:
        for p in self.paths:
            yield from read_path(p)

    def __iter__(self) -> Iterator[Paper | Reject]:
        report_rejects = self.shard is None or self.shard[0] == 0
        pos = 0
        for item in self._items():
            if isinstance(item, Reject):
                if report_rejects:
                    yield item
                continue
            here, pos = pos, pos + 1
            first = self._first.get(item.id)
            if first is not None and first != here:
                continue  # a later occurrence: merged into the first
            if not self._keep(item.id):
                continue
            later = self._later.get(item.id)
            if later:
                merged, rejects = _merge(item, later)
                yield merged
                yield from rejects
            else:
                yield item


def _merge(first: Paper, later: list[Paper]) -> tuple[Paper, list[Reject]]:
    """One Paper from all occurrences of an id (see :func:`read_papers`)."""
    rejects = []
    for item in later:
        if item.abstract and first.abstract and (
            _norm_ws(item.abstract) != _norm_ws(first.abstract) or _norm_ws(item.title) != _norm_ws(first.title)
        ):
            rejects.append(Reject(item.sources[0] if item.sources else "", "duplicate id with different text", item.id))
        first = first.model_copy(
            update={
                "abstract": first.abstract or item.abstract,
                "title": first.title or item.title,
                "date": first.date or item.date,
                "authors": first.authors or item.authors,
                "n_authors": first.n_authors if first.n_authors is not None else item.n_authors,
                "categories": first.categories or item.categories,
                "sources": first.sources + tuple(s for s in item.sources if s not in first.sources),
            }
        )
    return first, rejects


def read_papers(paths: Iterable[str | Path]) -> tuple[list[Paper], list[Reject]]:
    """Read every path (see :func:`read_path`) and merge papers that share an id.

    Returns ``(papers, rejects)``. Papers are in order of first appearance; a paper seen
    more than once is one Paper whose title and abstract are the first occurrence's,
    whose ``sources`` are all occurrences' sources in order, and whose missing fields
    (``date``, ``authors``, ``n_authors``, ``categories``, an empty abstract) are filled
    from later occurrences. When a later occurrence's title or abstract differs from the
    first (compared with whitespace normalised), a ``Reject(source of the later one,
    "duplicate id with different text", id)`` is added; the paper is still kept once.
    For inputs too large for a list, iterate a :class:`PaperStream` instead.

    Raises :class:`IngestError` when a path does not exist or cannot be read.
    """
    papers: list[Paper] = []
    rejects: list[Reject] = []
    for item in PaperStream(paths):
        (rejects if isinstance(item, Reject) else papers).append(item)
    return papers, rejects
