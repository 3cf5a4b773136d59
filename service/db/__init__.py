"""Database plumbing: the embedded server, the engine, migrations."""
