"""Events: the happening a story is about (see migration 0012 and DESIGN.md)."""
