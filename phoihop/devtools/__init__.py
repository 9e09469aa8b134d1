"""Developer tools that run without Django settings (used by the Makefile)."""
