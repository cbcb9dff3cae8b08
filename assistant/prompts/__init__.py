"""German prompt templates for the LLM answer path, loaded from package data."""

from __future__ import annotations

from functools import cache
from importlib import resources

PROMPT_NAMES = ("system", "passages", "question", "condense")


@cache
def load_prompt(name: str) -> str:
    """Return the text of `assistant/prompts/<name>.txt` (cached).

    Raises:
        ValueError: if no prompt of that name exists.
    """
    resource = resources.files(__package__).joinpath(f"{name}.txt")
    if name not in PROMPT_NAMES or not resource.is_file():
        raise ValueError(f"Unknown prompt {name!r}; valid: {', '.join(PROMPT_NAMES)}")
    return resource.read_text(encoding="utf-8")
