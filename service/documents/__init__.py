"""Documents: archived source texts that claims cite."""
