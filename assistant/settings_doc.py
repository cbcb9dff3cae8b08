"""Render `.env.example` and the README configuration table from `Settings` (keeps them in step).

Run `python -m assistant.settings_doc` after changing a setting; a test checks both are current.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from assistant.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
_TABLE = re.compile(r"\| Variable \| Default \| Meaning \|\n(?:\|.*\|\n)+")


def _fields() -> Iterator[tuple[str, str, str, str]]:
    for group, field in Settings.model_fields.items():
        model = field.annotation
        assert isinstance(model, type) and issubclass(model, BaseModel)
        for name, spec in model.model_fields.items():
            default: Any = spec.default if spec.default_factory is None else spec.default_factory()  # type: ignore[call-arg]
            text = json.dumps(default) if isinstance(default, list) else str(default)
            text = text.lower() if isinstance(default, bool) else text
            yield group, f"ITAS_{group.upper()}__{name.upper()}", text, spec.description or ""


def env_example() -> str:
    """The text of `.env.example`."""
    lines = [
        "# ITAS-Charta-Assistent – every setting with its default. Copy to .env and change what you need.",
        "# Nested groups use a double underscore: ITAS_<GROUP>__<FIELD>. Lists are JSON.",
    ]
    current = ""
    for group, var, default, description in _fields():
        if group != current:
            doc = (Settings.model_fields[group].annotation.__doc__ or "").strip()
            lines += ["", f"# --- {group}: {doc}"]
            current = group
        lines += [f"# {description}", f"{var}={default}"]
    return "\n".join(lines) + "\n"


def config_table() -> str:
    """The Markdown configuration table of the README."""
    rows = [f"| `{var}` | `{default}` | {description} |" for _, var, default, description in _fields()]
    return "| Variable | Default | Meaning |\n|---|---|---|\n" + "\n".join(rows) + "\n"


def main() -> None:
    """Rewrite `.env.example` and the README table."""
    (ROOT / ".env.example").write_text(env_example(), encoding="utf-8")
    readme = ROOT / "README.md"
    readme.write_text(
        _TABLE.sub(lambda _: config_table(), readme.read_text(encoding="utf-8")), encoding="utf-8"
    )


if __name__ == "__main__":
    main()
