"""Fixtures of the report tests: the demo province (`demo`, `demo_output`)."""

from tests.demo.fixtures import demo, demo_output

__all__ = ["demo", "demo_output"]
