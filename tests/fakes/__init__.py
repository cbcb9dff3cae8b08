"""Real fakes for outside boundaries (an LLM endpoint), importable as `fakes` with pythonpath = tests."""
