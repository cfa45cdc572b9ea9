"""Training data and config for the learned mention tagger (see :mod:`extractors.learned`)."""
