"""factdesk: source-attributed fact lookup."""

__version__ = "0.1.0"
