"""Deterministic synthetic scenarios for demonstrations and tests.

Every name, number and event in these data sets is generated. None describes a real person.
"""
