"""Development tools of PhốiHợp, kept out of the product: the demo province (`demo`) and
synthetic volumes for benchmarks (`synth`).

Installed with the project by `pip install -e ".[dev]"` (`make demo`, `make test`), and made
Django apps only in the development modes (`config/development.py`): a production installation
never lists them in INSTALLED_APPS, and `phoihop demo` / `phoihop synth` refuse to run there.
"""
