from typing import Any

from django.conf import settings
from django.http import HttpRequest

from phoihop.access.policy import installation_ceiling


def installation(request: HttpRequest) -> dict[str, Any]:
    return {
        "installation_name": settings.PHOIHOP_INSTALLATION_NAME,
        "classification_ceiling": installation_ceiling(),
    }
