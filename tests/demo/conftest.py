"""Fixtures of the demo tests: the demo province (`demo`, `demo_output`), built once per test
module and rolled back after it (see tests/demo/fixtures.py)."""

from tests.demo.fixtures import demo, demo_output

__all__ = ["demo", "demo_output"]
