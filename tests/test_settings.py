"""Settings: every variable documented, `.env.example` parses to the defaults."""

from __future__ import annotations

from pathlib import Path

from assistant.settings import Settings
from assistant.settings_doc import config_table, env_example

ROOT = Path(__file__).resolve().parents[1]


def test_env_example_and_readme_table_are_current() -> None:
    """If this fails, run `python -m assistant.settings_doc`."""
    assert (ROOT / ".env.example").read_text(encoding="utf-8") == env_example()
    assert config_table() in (ROOT / "README.md").read_text(encoding="utf-8")


def test_env_example_parses_to_the_defaults() -> None:
    assert Settings(_env_file=ROOT / ".env.example") == Settings(_env_file=None)  # type: ignore[call-arg]


def test_nested_environment_variables(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ITAS_STORE__PATH", "/tmp/elsewhere")
    monkeypatch.setenv("ITAS_API__ALLOWED_ORIGINS", '["https://www.example.org"]')
    monkeypatch.setenv("ITAS_LLM__BASE_URL", "http://127.0.0.1:11434/v1")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert str(settings.store.path) == "/tmp/elsewhere"
    assert settings.api.allowed_origins == ["https://www.example.org"]
    assert settings.llm.base_url == "http://127.0.0.1:11434/v1"
