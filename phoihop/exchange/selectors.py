"""Reads of the information exchange, all starting from the access rule."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from phoihop.access.rules import visible
from phoihop.exchange.models import InformationItem, Receipt, VerificationRequest


def info_item_list(*, actor: Any) -> QuerySet[InformationItem]:
    return visible(InformationItem, actor).select_related("owner_unit", "owner_unit__force")


def info_item_inbox(*, actor: Any) -> QuerySet[InformationItem]:
    """Items received by the actor's unit, unacknowledged first, then most urgent, newest."""
    mine = Receipt.objects.filter(item=OuterRef("pk"), unit_id=actor.unit_id)
    pending = mine.filter(acknowledged_at__isnull=True)
    return (
        info_item_list(actor=actor)
        # Lists never show the body: leaving the wide columns out keeps the sort small.
        .defer("content", "search_text")
        .filter(Exists(mine))
        .annotate(pending=Exists(pending))
        .order_by("-pending", "-urgency", "-sent_at", "-id")
    )


def info_item_outbox(*, actor: Any) -> QuerySet[InformationItem]:
    return (
        info_item_list(actor=actor)
        .defer("content", "search_text")
        .filter(owner_unit_id=actor.unit_id)
    )


def verification_list(*, actor: Any) -> QuerySet[VerificationRequest]:
    """A verification request is seen by whoever sees its item."""
    return VerificationRequest.objects.filter(
        item__in=visible(InformationItem, actor).values("pk")
    ).select_related("item", "assigned_unit", "requesting_unit")


def verification_queue(*, actor: Any) -> QuerySet[VerificationRequest]:
    """Requests the actor's unit must answer, soonest due first."""
    return (
        verification_list(actor=actor)
        .filter(assigned_unit_id=actor.unit_id, status__in=["open", "in_progress"])
        .order_by("due_at")
    )
