"""ITAS-Charta-Assistent: cited German answers over the ITAS charter corpus."""

__version__ = "0.1.0"
