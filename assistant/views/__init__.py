"""Read-only views over the index: version comparison, districts with forum-to-charter links, sector check."""

from assistant.errors import RequestError


class UnknownItem(RequestError):
    """A series, district or sector code that does not exist; the message is German and lists valid values."""
