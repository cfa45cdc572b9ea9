"""kg's extractors: spaCy components that recognise methods, datasets, metrics, tasks,
numeric results and claims in paper abstracts.

One module per component (``lexicon``, ``acronyms``, ``names``, ``tasks``, ``metrics``,
``results``, ``claims``), each registered as a ``@Language.factory``; pattern data lives
in ``patterns/``. :func:`build_pipeline` assembles them on a blank English pipeline or on
an installed statistical one; :mod:`extractors.assemble` turns the processed docs of one
paper into a :class:`kg.records.PaperRecord`. Extraction is pure: no database I/O here.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .errors import PatternError

if TYPE_CHECKING:
    from spacy.language import Language

COMPONENTS = ("kg_lexicon", "kg_acronyms", "kg_names", "kg_tasks", "kg_metrics", "kg_mention_filter", "kg_results", "kg_claims")


def learned_model_path(learned: str | Path) -> Path:
    """The directory of a trained span classifier (``kg train --output DIR``; no model
    ships with the package). Raises :class:`OSError` if it holds no spaCy pipeline."""
    path = Path(learned)
    if not (path / "config.cfg").is_file():
        raise OSError(f"no trained span classifier at {path} (train one with `kg train`)")
    return path


def build_pipeline(model: str | None = None, learned: str | Path | None = None,
                   learned_config: dict | None = None) -> "Language":
    """The kg extraction pipeline.

    ``model`` None gives ``spacy.blank("en")`` plus a rule-based ``sentencizer``; a package
    name (e.g. ``"en_core_web_sm"``) loads that pipeline with only its tagger-free parts
    needed for sentences. Raises :class:`OSError` (spaCy's) when the model is not installed.

    ``learned`` (a trained span classifier's directory) adds the learned part after
    ``kg_mention_filter``:
    ``kg_rule_features``, the trained ``spancat`` sourced as ``kg_spancat``, and
    ``kg_span_decisions`` (config ``learned_config``: ``keep``, ``add``), before the result
    extractor. Without it the pipeline is rules only.
    """
    import spacy

    # the components register their factories when imported; done here, not at package
    # import, so kg's graph stages (kg.resolve, kg.consolidate) load without spaCy
    from . import acronyms, candidates, claims, learned as _learned, lexicon, mentions, metrics, names, results, tasks  # noqa: F401

    if model:
        nlp = spacy.load(model, exclude=["ner", "lemmatizer"])
        if "parser" not in nlp.pipe_names and "senter" not in nlp.pipe_names:
            nlp.add_pipe("sentencizer")
    else:
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
    _split_final_periods(nlp)
    for name in COMPONENTS:
        nlp.add_pipe(name)
        if name == "kg_mention_filter" and learned is not None:
            trained = spacy.load(learned_model_path(learned))
            nlp.add_pipe("kg_rule_features")
            nlp.add_pipe("spancat", name="kg_spancat", source=trained)
            nlp.add_pipe("kg_span_decisions", config=learned_config or {})
    return nlp


def _split_final_periods(nlp: "Language") -> None:
    """Tokenizer rules for ML text: split a sentence-final period off names like "ADE20K."
    and "Swin-B." (spaCy keeps a period after a capital as an abbreviation; ML names end in
    capitals often), and split at a slash between alphanumerics."""
    import spacy

    suffixes = list(nlp.Defaults.suffixes or []) + [r"(?<=[0-9][A-Z])\.$", r"(?<=[A-Z][A-Z])\.$", r"(?<=-[A-Z])\.$", r"(?<=[a-z][A-Z])\.$"]
    nlp.tokenizer.suffix_search = spacy.util.compile_suffix_regex(suffixes).search
    # "LLaVA-NeXT-7B/13B", "0.3%/1.1%": a slash between names or numbers separates them
    infixes = list(nlp.Defaults.infixes or []) + [r"(?<=[A-Za-z0-9%])/(?=[A-Za-z0-9])"]
    nlp.tokenizer.infix_finditer = spacy.util.compile_infix_regex(infixes).finditer


__all__ = ["build_pipeline", "COMPONENTS", "PatternError"]
