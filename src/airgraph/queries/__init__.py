"""Queries named for their answers, over a projection; results are frozen dataclasses."""
