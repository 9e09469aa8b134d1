"""What an organisation write may save: counted before and after a refusal."""

from __future__ import annotations

from phoihop.audit.models import AuditEntry
from phoihop.org.models import Force, Unit, UnitParentage, User


def org_counts() -> tuple[int, ...]:
    """Forces and units (deleted ones too), placements, accounts and audit entries."""
    return (
        Force.all_objects.count(),
        Unit.all_objects.count(),
        UnitParentage.objects.count(),
        User.objects.count(),
        AuditEntry.objects.count(),
    )
