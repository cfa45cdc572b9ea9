"""Coded errors of the extractors, in the style of ``spacy.errors``."""

from kg.errors import KgError


class PatternError(KgError):
    """A pattern data file is missing or has an invalid line (code E-KG1xx)."""


class Errors:
    """Message templates; each has a stable code so users can search for it."""

    E101 = "E101 pattern file {path} not found"
    E102 = "E102 {path}:{line}: {reason}"
    E103 = "E103 pattern label {label!r} at {path}:{line} is not one of {labels}"
    E104 = "E104 component {name!r} has no pattern data: run nlp.initialize() or load a saved pipeline"
