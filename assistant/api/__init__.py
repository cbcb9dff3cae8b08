"""The HTTP API (FastAPI): thin routes over the answer service."""
