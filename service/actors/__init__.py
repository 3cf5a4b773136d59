"""Actors: the people and organisations that say things or are cited."""
