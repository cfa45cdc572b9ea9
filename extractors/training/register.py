"""Registers kg's spaCy functions (the candidate suggester, the gold corpus reader) for the
``spacy train --code extractors/training/register.py`` (the module kg.extractors.training.register) command line."""

from kg.extractors import candidates, learned  # noqa: F401
from kg.extractors.training import corpus  # noqa: F401
