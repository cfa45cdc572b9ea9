"""The hand-off types between kg's stages, defined once.

``ingest`` yields :class:`Paper`; ``extract`` turns a Paper into a :class:`PaperRecord`
(entities, results and claims with provenance); the writer and the exporters read
PaperRecords. All are frozen pydantic models, so a stage can be run, tested and
replaced alone, and a record read back from JSONL is validated again.

The field names of :class:`PaperRecord` (``id``, ``title``, ``methods``, ``datasets``,
``metrics``, ``tasks``, ``results``, ``code_url``) and of :class:`Entity` / :class:`Result`
follow ``shared/gold/GUIDELINES.md``, which is the output contract.
"""

from __future__ import annotations

import hashlib
import importlib.util
import math
import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

def _fingerprint() -> str:
    """First 8 hex digits of the SHA-256 of the extractors' code and pattern data, so a
    changed rule or lexicon changes the version and re-extracted papers are rewritten."""
    spec = importlib.util.find_spec("kg.extractors")  # located, not imported (no spaCy here)
    root = Path(next(iter(spec.submodule_search_locations))).resolve()
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.is_file() and p.suffix in (".py", ".jsonl", ".json"):
            h.update(p.relative_to(root).as_posix().encode())
            h.update(p.read_bytes())
    return h.hexdigest()[:8]


EXTRACTOR_VERSION = f"kg-extract/0.1.0+{_fingerprint()}"

Role = Literal["proposed", "compared", "used"]
ResultKind = Literal["absolute", "delta", "ratio", "relative"]
ClaimType = Literal["outperforms", "state_of_the_art", "efficiency", "matches"]
Field_ = Literal["title", "abstract"]


# a lone UTF-16 surrogate ("\ud800" from a JSON escape) cannot be encoded as UTF-8: spaCy's
# string store, Neo4j and every file kg writes would fail on it; C0/C1 control characters
# (a BEL, an ESC starting a terminal sequence) are no text either (#14 D2)
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean_text(text: str) -> str:
    """``text`` fit to store: each lone surrogate becomes U+FFFD (the Unicode replacement
    character) and each control character other than tab, newline and carriage return a
    space, so one such character no longer sinks the paper or the run (#14 D2). Names are
    folded further for keys (:func:`kg.extractors.rules.fold_unicode`)."""
    if text.isascii() and text.isprintable():
        return text
    return _CONTROL.sub(" ", _SURROGATE.sub("\ufffd", text))


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Paper(_Frozen):
    """One paper as read by ``kg.ingest.papers``.

    ``id`` is the input's own id when it gives one, else a stable hash of the normalised
    title (see :func:`kg.ingest.papers.paper_id`). ``sources`` lists every ``file:line`` the paper
    was read from (a paper in several listings is one Paper).
    """

    id: str = Field(min_length=1)
    title: str
    abstract: str
    date: str | None = None
    authors: tuple[str, ...] = ()
    n_authors: int | None = None
    categories: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()

    @field_validator("id", "title", "abstract", mode="before")
    @classmethod
    def _clean(cls, v):
        return clean_text(v) if isinstance(v, str) else v

    @property
    def content_hash(self) -> str:
        """SHA-256 (hex, 16 chars) of title and abstract: what extraction depends on."""
        h = hashlib.sha256((self.title + "\x00" + self.abstract).encode("utf-8"))
        return h.hexdigest()[:16]


class PaperInput(BaseModel):
    """One JSON input record as ``kg.ingest.papers`` accepts it, checked strictly (no
    coercion: ``"abstract": 42`` or ``"n_authors": true`` is an error). Fields other than
    these are ignored; ``versions`` (arXiv: ``[{"created": ...}]``) is read when it has
    that shape and ignored otherwise. ``kg.ingest.papers`` turns it into a :class:`Paper`.
    """

    model_config = ConfigDict(strict=True, frozen=True, extra="ignore")

    id: str | int | None = None
    title: str = ""
    abstract: str = ""
    authors: str | list[str] | None = None
    authors_parsed: list[Annotated[list[str], Field(min_length=1)]] | None = None
    n_authors: Annotated[int, Field(ge=0)] | None = None
    date: str | None = None
    update_date: str | None = None
    published: str | None = None
    versions: Any = None
    categories: str | list[str] | None = None


class Provenance(_Frozen):
    """Where a mention, result or claim was read.

    ``start``/``end`` are character offsets into the paper's ``field`` (``title`` or
    ``abstract``); ``sentence`` is the sentence that holds them, copied exactly.
    ``extractor`` names the rule or component that produced the item; ``confidence``
    is in [0, 1] (see README, "Confidence").
    """

    field: Field_ = "abstract"
    sentence: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    extractor: str
    confidence: float = Field(ge=0.0, le=1.0)


class Entity(_Frozen):
    """A method, dataset, metric or task named in one paper.

    ``name`` is the surface form as in the text; ``aliases`` the other surface forms for
    the same thing in the same paper (e.g. an acronym's long form). ``role`` is set for
    methods only. ``key`` is the canonical key the resolver gives (see ``kg.graph.resolve``).
    ``mentions`` keeps the provenance of every occurrence that was recognised.
    """

    name: str = Field(min_length=1)
    aliases: tuple[str, ...] = ()
    role: Role | None = None
    key: str = ""
    mentions: tuple[Provenance, ...] = ()


class Result(_Frozen):
    """One numeric result clause (GUIDELINES.md, "Results").

    ``value`` is the number as the guidelines write it (percent values as the number
    before %, "85 million" as 85000000); ``value_max`` the upper end of a range.
    ``unit`` is one of the guideline units or "" for unitless scores. ``qualifier`` keeps
    the bound the text puts on the value ("up to", "over", "nearly", "about", "at least",
    "less than"): "up to 12%" is value 12 with qualifier "up to", never a plain 12.
    ``setting`` is the evaluation setting that changes what is measured without being part
    of the metric's name: "zero-shot", "few-shot", "fine-tuned", "linear probe", "test-dev",
    "val". "71.4% zero-shot top-1 accuracy" is metric "zero-shot top-1 accuracy" (the
    surface form; it resolves to the catalogue metric "accuracy") with setting "zero-shot";
    None when the text names none (the graph writer then derives it from the metric's
    words, :func:`kg.graph.resolve.metric_setting`). Two results that differ in qualifier or
    setting are different statements and never one leaderboard entry. ``text`` is the
    clause copied exactly; ``provenance`` locates it.
    """

    method: str | None = None
    dataset: str | None = None
    metric: str | None = None
    value: float
    value_max: float | None = None
    unit: str = ""
    kind: ResultKind = "absolute"
    compared_to: str | None = None
    qualifier: str | None = None  # "up to", "over", "nearly", ...: how the text bounds the value
    setting: str | None = None  # "zero-shot", "fine-tuned", "linear probe", "test-dev", ...: how it was evaluated
    text: str
    provenance: Provenance

    @field_validator("qualifier", "setting")
    @classmethod
    def _blank_is_none(cls, v: str | None) -> str | None:
        """Surrounding spaces dropped; an empty qualifier or setting is none."""
        if v is None:
            return None
        v = " ".join(v.split())
        return v or None

    @field_validator("value", "value_max")
    @classmethod
    def _finite(cls, v: float | None) -> float | None:
        if v is not None and not math.isfinite(v):
            raise ValueError("result values must be finite numbers")
        return v


class Claim(_Frozen):
    """A comparative or state-of-the-art statement.

    ``type`` is one of outperforms / state_of_the_art / efficiency / matches; ``subject``
    the method claimed about, ``object`` the method it is compared with, ``results`` the
    indexes (into the paper's ``results``) of the results that support it.
    """

    type: ClaimType
    subject: str | None = None
    object: str | None = None
    dataset: str | None = None
    metric: str | None = None
    results: tuple[int, ...] = ()
    provenance: Provenance


class PaperRecord(_Frozen):
    """What extraction produces for one paper: one line of ``kg extract`` output."""

    id: str
    title: str
    methods: tuple[Entity, ...] = ()
    datasets: tuple[Entity, ...] = ()
    metrics: tuple[Entity, ...] = ()
    tasks: tuple[Entity, ...] = ()
    results: tuple[Result, ...] = ()
    claims: tuple[Claim, ...] = ()
    code_url: str | None = None
    abstract: str = ""
    date: str | None = None
    sources: tuple[str, ...] = ()
    content_hash: str = ""
    extractor_version: str = EXTRACTOR_VERSION

    def entities(self) -> dict[str, tuple[Entity, ...]]:
        """The four entity lists by their field name (``methods``, ``datasets``, ...)."""
        return {
            "methods": self.methods,
            "datasets": self.datasets,
            "metrics": self.metrics,
            "tasks": self.tasks,
        }
