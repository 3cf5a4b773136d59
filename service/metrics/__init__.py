"""Metrics: the controlled vocabulary of what figures count."""
