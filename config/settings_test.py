"""Settings for the test suite: the normal settings with a test mode and plain static storage."""

import os

os.environ.setdefault("PHOIHOP_MODE", "test")
os.environ.setdefault(
    "STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage"
)

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = [
    # Fast hashing in tests; production keeps Argon2 first (tested in tests/org/test_login.py).
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
AXES_ENABLED = True

# The test-only scoped record kind that exercises the access rule through real views and API.
INSTALLED_APPS = [*INSTALLED_APPS, "tests.scopedapp"]  # noqa: F405
ROOT_URLCONF = "tests.urls"
