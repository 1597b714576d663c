"""Fixtures shared by every kind of test."""

pytest_plugins = ["helpers.zone_rules"]
