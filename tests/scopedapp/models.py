"""A test-only scoped record kind: exercises the access rule through real views and API."""

from django.db import models

from phoihop.access.models import ScopedModel


class Memo(ScopedModel):
    title = models.CharField(max_length=200)

    def __str__(self) -> str:
        return self.title
