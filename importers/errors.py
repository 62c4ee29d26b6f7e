"""Errors that stop a whole feed; their message is French because it is shown to staff and publishers as is."""


class FeedError(Exception):
    """The feed as a whole cannot be read (unreachable, too big, unsafe, truncated, not UTF-8…): nothing is archived."""


class ImportAlreadyRunning(Exception):
    """Another import of the same source holds the lock."""
