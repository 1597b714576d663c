"""Fakes shared by the tests: a clock you can move and a person you can script."""
