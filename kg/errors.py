"""Errors raised by kg. Every error kg raises derives from :class:`KgError`."""


class KgError(Exception):
    """Base class for every error kg raises."""
