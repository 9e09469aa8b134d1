"""The record kinds of mass mobilisation in one table: what the pages and the API need of each.

A kind's list is read the same way by its page and its API (`rows`), filtered by its filterset
and totalled by `figures`; it is created, changed and deleted through its services, called here
with one signature whatever keyword the service names its record by (`forum=`, `campaign=`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from phoihop.mobilisation import selectors, services
from phoihop.mobilisation.filters import (
    CampaignFilter,
    ForumFilter,
    ProgrammeFilter,
    PropagandaFilter,
    RecordFilter,
)
from phoihop.mobilisation.models import MobilisationRecord, SurrenderCampaign


@dataclass(frozen=True)
class Kind:
    slug: str  # in URLs: /mobilisation/<slug>/, /api/v1/mobilisation/<slug>/; the pages' tab
    name: str  # URL names: `mobilisation:<name>_list`, `mobilisation-api:<name>-detail`
    noun: str | Promise  # one record, in the API's summaries
    rows: Callable[[Any], QuerySet[Any]]  # the visible records of a list, for an actor
    filterset: type[RecordFilter]
    figures: Callable[[QuerySet[Any], RecordFilter], Any]  # a list's totals
    create: Callable[..., MobilisationRecord]
    update_service: Callable[..., list[str]]
    delete_service: Callable[..., None]
    record_arg: str  # the record's keyword in the update and delete services
    created_message: str | Promise

    def update(
        self,
        *,
        actor: Any,
        record: MobilisationRecord,
        expected_version: int | None,
        changes: dict[str, Any],
        **options: Any,
    ) -> list[str]:
        return self.update_service(
            actor=actor,
            expected_version=expected_version,
            changes=changes,
            **{self.record_arg: record},
            **options,
        )

    def delete(
        self, *, actor: Any, record: MobilisationRecord, expected_version: int | None
    ) -> None:
        self.delete_service(
            actor=actor, expected_version=expected_version, **{self.record_arg: record}
        )


def _campaign_figures(rows: QuerySet[SurrenderCampaign], record_filter: RecordFilter) -> Any:
    start, end = record_filter.period
    return selectors.campaign_figures(rows, start=start, end=end, area=record_filter.chosen_area)


FORUMS = Kind(
    slug="forums",
    name="forum",
    noun=_("diễn đàn lắng nghe ý kiến Nhân dân"),
    rows=lambda actor: selectors.forum_list(actor=actor).prefetch_related("topic_counts"),
    filterset=ForumFilter,
    figures=lambda rows, _filter: selectors.forum_figures(rows),
    create=services.forum_create,
    update_service=services.forum_update,
    delete_service=services.forum_delete,
    record_arg="forum",
    created_message=_("Đã ghi nhận diễn đàn."),
)
PROPAGANDA = Kind(
    slug="propaganda",
    name="propaganda",
    noun=_("tuyên truyền pháp luật"),
    rows=lambda actor: selectors.propaganda_list(actor=actor).prefetch_related("laws"),
    filterset=PropagandaFilter,
    figures=lambda rows, _filter: selectors.propaganda_figures(rows),
    create=services.propaganda_create,
    update_service=services.propaganda_update,
    delete_service=services.propaganda_delete,
    record_arg="record",
    created_message=_("Đã ghi nhận hoạt động tuyên truyền."),
)
CAMPAIGNS = Kind(
    slug="campaigns",
    name="campaign",
    noun=_("vận động giao nộp vũ khí, vật liệu nổ"),
    rows=lambda actor: selectors.campaign_list(actor=actor),
    filterset=CampaignFilter,
    figures=_campaign_figures,
    create=services.campaign_create,
    update_service=services.campaign_update,
    delete_service=services.campaign_delete,
    record_arg="campaign",
    created_message=_("Đã tạo đợt vận động."),
)
PROGRAMMES = Kind(
    slug="programmes",
    name="programme",
    noun=_("chương trình an sinh xã hội"),
    rows=lambda actor: selectors.programme_list(actor=actor),
    filterset=ProgrammeFilter,
    figures=lambda rows, _filter: selectors.programme_figures(rows),
    create=services.programme_create,
    update_service=services.programme_update,
    delete_service=services.programme_delete,
    record_arg="record",
    created_message=_("Đã ghi nhận hoạt động an sinh xã hội."),
)

KINDS = (FORUMS, PROPAGANDA, CAMPAIGNS, PROGRAMMES)
