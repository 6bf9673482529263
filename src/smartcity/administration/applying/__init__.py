"""Applying: forms as data, filled in over several steps, saved, resumed and submitted."""
