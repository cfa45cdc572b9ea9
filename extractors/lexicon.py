"""``kg_lexicon``: known datasets, metrics, tasks and methods, from pattern data.

A thin factory around spaCy's own ``SpanRuler`` (phrase patterns matched on ``LOWER``)
that loads every ``*.jsonl`` file of ``patterns_dir`` (see :mod:`kg.extractors.patterns`) in
``initialize``, saves them with the pipeline, and writes its matches into ``doc.spans[spans_key]`` with ``span.id_`` set to
``"lexicon:<canonical id>"``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable, Iterable

from spacy.language import Language
from spacy.pipeline import SpanRuler
from spacy.tokens import Doc

from .errors import Errors, PatternError
from .patterns import PATTERNS_DIR, all_patterns, load_patterns

SPANS_KEY = "kg_mentions"


class LexiconRecognizer:
    """Match the lexicon phrases; each match becomes a mention span.

    The patterns are loaded in :meth:`initialize` (from ``patterns_dir``, validated by
    :func:`kg.extractors.patterns.load_patterns`) and saved with the pipeline by
    :meth:`to_disk` as ``patterns.jsonl``, as spaCy's ``SpanRuler`` does. Calling the
    component before either raises :class:`PatternError` (E104).
    """

    def __init__(self, nlp: Language, name: str, spans_key: str):
        self.name = name
        self.spans_key = spans_key
        self.nlp = nlp
        self.patterns: list[dict] = []
        self._set_rulers([])
        self.initialized = False

    def _set_rulers(self, patterns: list[dict]) -> None:
        # Two rulers: short or all-caps names ("MATH", "AP", "MAE") match case-sensitively
        # (ORTH) so ordinary words ("math", "ap") do not; longer phrases match on LOWER.
        self.exact = SpanRuler(self.nlp, name=f"{self.name}_exact", spans_key=None, annotate_ents=False,
                               phrase_matcher_attr="ORTH", validate=True, overwrite=False)
        self.folded = SpanRuler(self.nlp, name=f"{self.name}_folded", spans_key=None, annotate_ents=False,
                                phrase_matcher_attr="LOWER", validate=True, overwrite=False)
        exact, folded = [], []
        for p in patterns:
            text = p["pattern"] if isinstance(p["pattern"], str) else ""
            if text and text != text.lower() and (len(text) <= 5 or text.isupper()):
                exact.append(p)
            else:
                folded.append(p)
        # the phrase patterns are tokenized by nlp.pipe: with every component off, since
        # this one and those after it may not be initialised yet
        with self.nlp.select_pipes(disable=self.nlp.pipe_names):
            self.exact.add_patterns(exact)
            self.folded.add_patterns(folded)
        self.patterns = list(patterns)

    def initialize(self, get_examples: Callable | None = None, *, nlp: Language | None = None,
                   patterns_dir: str | None = None) -> None:
        """Load every ``*.jsonl`` pattern file of ``patterns_dir`` (None: the packaged
        ``extractors/patterns``). Raises :class:`PatternError` for a bad file."""
        self._set_rulers(all_patterns(Path(patterns_dir) if patterns_dir else PATTERNS_DIR))
        self.initialized = True

    def __call__(self, doc: Doc) -> Doc:
        if not self.initialized:
            raise PatternError(Errors.E104.format(name=self.name))
        group = doc.spans.setdefault(self.spans_key, [])
        for span in sorted(set(self.exact.match(doc)) | set(self.folded.match(doc))):
            span.id_ = f"lexicon:{span.id_}"
            group.append(span)
        return doc

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Write the patterns to ``path/patterns.jsonl`` (one pattern per line)."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        lines = (json.dumps({"label": p["label"], "pattern": p["pattern"], "id": p["id"]}, ensure_ascii=False)
                 for p in self.patterns)
        (path / "patterns.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "LexiconRecognizer":
        """Read the patterns :meth:`to_disk` wrote (validated; :class:`PatternError` if bad)."""
        self._set_rulers(load_patterns(Path(path) / "patterns.jsonl"))
        self.initialized = True
        return self


@Language.factory("kg_lexicon", default_config={"spans_key": SPANS_KEY})
def make_lexicon(nlp: Language, name: str, spans_key: str) -> LexiconRecognizer:
    """Create the lexicon component; its patterns are loaded by ``initialize``."""
    return LexiconRecognizer(nlp, name, spans_key)
