"""Error hierarchy; translated to HTTP, German UI messages or CLI lines at the edges only."""


class AssistantError(Exception):
    """Base class for every error the project raises on purpose."""


class ConfigError(AssistantError):
    """Settings or environment are wrong; the message names the value and the fix."""


class IngestError(AssistantError):
    """A whole ingest run cannot proceed (per-file problems are statuses, not errors)."""


class IngestLocked(IngestError):
    """Another ingest run holds the store lock."""


class EmbedderMismatch(ConfigError):
    """The index was built with another embedder than the one configured."""


class BackendUnavailable(AssistantError):
    """A backend (store, LLM endpoint, model) cannot be reached or loaded."""


class IndexNotReady(AssistantError):
    """No complete index exists yet in the store path."""


class RequestError(AssistantError):
    """A user request is invalid; the message is German and safe to show."""


class LLMTimeout(BackendUnavailable):
    """The LLM endpoint did not answer within the configured timeout."""


class PruneRequired(IngestError):
    """An ingest run would remove more than half of the indexed documents; needs `--prune`."""

    def __init__(self, message: str, *, removed: list[str], report: object = None) -> None:
        super().__init__(message)
        self.removed = removed
        self.report = report  # the run's IngestReport (outcomes incl. "entfernt"), nothing written
