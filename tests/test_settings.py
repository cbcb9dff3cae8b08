"""Settings: every variable documented, `.env.example` parses to the defaults."""

from __future__ import annotations

from pathlib import Path

from assistant.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def _variables() -> list[str]:
    return [
        f"ITAS_{group.upper()}__{name.upper()}"
        for group, field in Settings.model_fields.items()
        for name in field.annotation.model_fields  # type: ignore[union-attr]
    ]


def test_env_example_and_readme_list_every_variable() -> None:
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [v for v in _variables() if f"{v}=" not in example or f"`{v}`" not in readme]
    assert missing == []


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
