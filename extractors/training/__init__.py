"""Training data and config for the learned span classifier (see :mod:`kg.extractors.learned`)."""
