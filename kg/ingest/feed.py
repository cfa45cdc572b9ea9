"""The papers of a command's inputs, streamed, with their rejects reported as met; and the
sniffing of an input that is already a ``kg extract`` output.

The CLI parses arguments and hands them here: :class:`Feed` wraps
:class:`kg.ingest.papers.PaperStream`, calls ``on_reject`` for each rejected input record
(the CLI prints it) and appends it to the rejects file; :func:`records_from` gives the
records of either kind of input.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

from kg.graph.records import Paper, PaperRecord
from kg.ingest.papers import IngestError, PaperStream, Reject, parse_shard

#: called with ``(what, reason)`` for each rejected input record
OnReject = Callable[[str, str], None]


class Feed:
    """The papers of the inputs, streamed (:class:`kg.ingest.papers.PaperStream`): each
    reject goes to ``on_reject`` (and is appended to ``rejects_path``) as it is met.
    ``total`` is the number of papers it will yield; ``rejects`` counts the rejects so far."""

    def __init__(self, inputs: list[Path], rejects_path: Path | None, shard: str | None = None,
                 on_reject: OnReject | None = None):
        self.stream = PaperStream(inputs, shard=parse_shard(shard) if shard else None)
        self.total = self.stream.total
        self.rejects = 0
        self.rejects_path = rejects_path
        self.on_reject = on_reject
        if rejects_path:
            rejects_path.write_text("", encoding="utf-8")

    def __len__(self) -> int:
        return self.total

    def __iter__(self) -> Iterator[Paper]:
        f = self.rejects_path.open("a", encoding="utf-8") if self.rejects_path else None
        try:
            for item in self.stream:
                if isinstance(item, Reject):
                    self.rejects += 1
                    if self.on_reject:
                        self.on_reject(f"{item.source}{' (' + item.record_id + ')' if item.record_id else ''}",
                                       item.reason)
                    if f:
                        f.write(json.dumps({"source": item.source, "id": item.record_id, "reason": item.reason}) + "\n")
                        f.flush()
                    continue
                yield item
        finally:
            if f:
                f.close()

    def require_papers(self) -> None:
        """Raise :class:`IngestError` when no paper is usable, after reporting every reject."""
        if self.total == 0:
            for _ in self:
                pass
            raise IngestError("no usable paper in the input")


def is_extraction_file(path: Path) -> bool:
    """Whether ``path`` is a ``kg extract`` output (JSONL whose first record has an
    ``extractor_version``), not papers to extract."""
    if path.suffix != ".jsonl":
        return False
    with path.open(encoding="utf-8") as f:
        return '"extractor_version"' in f.readline()


def records_from(inputs: list[Path], on_reject: OnReject | None = None) -> list[PaperRecord]:
    """Records from one ``kg extract`` JSONL file, else extracted from paper inputs."""
    from kg.ingest.extractions import read_records

    if len(inputs) == 1 and is_extraction_file(inputs[0]):
        return list(read_records(inputs[0]))
    if not inputs:
        raise IngestError("give papers to extract or a `kg extract` JSONL file")
    from kg.ingest.extract import extract_papers

    return list(extract_papers(Feed(inputs, None, on_reject=on_reject)))
