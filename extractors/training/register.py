"""Registers kg's spaCy functions (the candidate suggester, the gold corpus reader) for the
``spacy train --code extractors/training/register.py`` command line."""

from extractors import candidates, learned  # noqa: F401
from extractors.training import corpus  # noqa: F401
