"""Backend implementations of the protocols; heavy imports stay inside these modules."""
