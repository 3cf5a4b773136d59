"""Claims: attributed figures and statements, each citing a stored document verbatim."""
