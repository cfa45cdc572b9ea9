"""Extraction files: the JSON Lines that ``kg extract`` writes and ``kg load`` reads back.

One :class:`~kg.graph.records.PaperRecord` per line. Reading them needs no spaCy: the
store and export stages read records through here, not through the extract stage.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from kg.errors import KgError, one_line
from kg.files import output_file
from kg.graph.records import PaperRecord


def write_jsonl(records: Iterable[PaperRecord | str], path: Path | str) -> int:
    """Write records as JSON Lines (one PaperRecord per line, or its JSON already made by
    ``extract_papers(as_json=True)``); returns how many. Written through
    :func:`kg.files.output_file`: a regular file atomically (a failed run leaves no half
    file), a device, FIFO or symlink in place. Raises :class:`KgError` for a path that
    cannot be an output file."""
    n = 0
    with output_file(path) as f:
        for r in records:
            f.write((r if isinstance(r, str) else r.model_dump_json()) + "\n")
            n += 1
    return n


def read_records(path: Path | str, *, with_lines: bool = False) -> Iterator[PaperRecord]:
    """Read a ``kg extract`` JSONL file back, validating every line (``with_lines``:
    yields ``(line, record)`` pairs).

    Raises :class:`kg.errors.KgError` naming the file, the line and pydantic's first
    errors as one line (invalid JSON, a missing or mistyped field) on the first bad line.
    """
    with Path(path).open(encoding="utf-8") as f:
        for i, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                rec = PaperRecord.model_validate_json(line)  # pydantic-core parses and validates in one pass
            except Exception as e:  # noqa: BLE001 - re-raised with the line
                raise KgError(f"{path}:{i}: not a kg extraction record ({one_line(e)})") from None
            yield (line, rec) if with_lines else rec
