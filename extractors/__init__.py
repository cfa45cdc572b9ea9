"""kg's extractors: spaCy components that recognise methods, datasets, metrics, tasks,
numeric results and claims in paper abstracts.

One module per component (``lexicon``, ``acronyms``, ``names``, ``tasks``, ``metrics``,
``results``, ``claims``), each registered as a ``@Language.factory``; pattern data lives
in ``patterns/``. :func:`build_pipeline` assembles them on a blank English pipeline or on
an installed statistical one; :mod:`kg.extractors.assemble` turns the processed docs of one
paper into a :class:`kg.graph.records.PaperRecord`. Extraction is pure: no database I/O here.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .errors import PatternError

if TYPE_CHECKING:
    from spacy.language import Language
    from thinc.api import Config

COMPONENTS = ("kg_lexicon", "kg_acronyms", "kg_names", "kg_tasks", "kg_metrics", "kg_mention_filter", "kg_results", "kg_claims")
PIPELINE_CONFIG = Path(__file__).parent / "pipeline.cfg"


def learned_model_path(learned: str | Path) -> Path:
    """The directory of a trained span classifier (``kg train --output DIR``; no model
    ships with the package). Raises :class:`OSError` if it holds no spaCy pipeline."""
    path = Path(learned)
    if not (path / "config.cfg").is_file():
        raise OSError(f"no trained span classifier at {path} (train one with `kg train`)")
    return path


def pipeline_config() -> "Config":
    """The kg pipeline's spaCy config (``extractors/pipeline.cfg``)."""
    from spacy.util import load_config

    return load_config(PIPELINE_CONFIG)


def build_pipeline(model: str | None = None, learned: str | Path | None = None,
                   learned_config: dict | None = None, patterns_dir: str | Path | None = None) -> "Language":
    """The kg extraction pipeline, initialised.

    ``model`` None builds ``extractors/pipeline.cfg`` (``spacy.blank("en")`` with kg's
    tokenizer rules, a rule-based ``sentencizer`` and the kg components); a package name
    (e.g. ``"en_core_web_sm"``) loads that pipeline without its NER and lemmatizer and
    adds the same kg components with the same config. Raises :class:`OSError` (spaCy's)
    when the model is not installed.

    Each kg component that has data loads it in ``initialize`` from ``patterns_dir``
    (None: the packaged ``extractors/patterns``); the pipeline can then be saved with
    ``nlp.to_disk(DIR)`` and loaded with ``spacy.load(DIR)``, data included.

    ``learned`` (a trained span classifier's directory) adds the learned part after
    ``kg_mention_filter``: ``kg_rule_features``, the trained ``spancat`` sourced as
    ``kg_spancat``, and ``kg_span_decisions`` (config ``learned_config``: ``keep``,
    ``add``), before the result extractor. Without it the pipeline is rules only.
    """
    import spacy
    from spacy.util import load_model_from_config

    # the components register their factories when imported; done here, not at package
    # import, so kg's graph stages (kg.graph.resolve, kg.graph.consolidate) load without spaCy
    from . import acronyms, candidates, claims, learned as _learned, lexicon, mentions, metrics, names, results, tasks, tokenizer  # noqa: F401

    config = pipeline_config()
    if model:
        nlp = spacy.load(model, exclude=["ner", "lemmatizer"])
        if "parser" not in nlp.pipe_names and "senter" not in nlp.pipe_names:
            nlp.add_pipe("sentencizer")
        tokenizer.ml_tokenizer_rules(nlp)
        for name in COMPONENTS:
            block = dict(config["components"][name])
            nlp.add_pipe(block.pop("factory"), name=name, config=block)
    else:
        nlp = load_model_from_config(config, auto_fill=True, validate=True)
    settings = config["initialize"]["components"]
    for name in COMPONENTS:
        proc = nlp.get_pipe(name)
        if hasattr(proc, "initialize"):
            extra = dict(settings.get(name, {}))
            if "patterns_dir" in extra and patterns_dir is not None:
                extra["patterns_dir"] = str(patterns_dir)
            proc.initialize(lambda: [], nlp=nlp, **extra)
    if learned is not None:
        trained = spacy.load(learned_model_path(learned))
        at = {"after": "kg_mention_filter"}
        nlp.add_pipe("kg_rule_features", **at)
        nlp.add_pipe("spancat", name="kg_spancat", source=trained, after="kg_rule_features")
        nlp.add_pipe("kg_span_decisions", config=learned_config or {}, after="kg_spancat")
    return nlp


__all__ = ["build_pipeline", "pipeline_config", "COMPONENTS", "PIPELINE_CONFIG", "PatternError"]
