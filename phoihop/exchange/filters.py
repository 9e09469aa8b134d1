"""The one filter of information item lists, for the inbox and outbox pages and the API alike.

A page knows its box from its address (`box=` given by the view) and hides the API's own
`box` and `pending`; the API takes every filter from the query string. A filter naming an
unknown area is refused with `unknown_area` on `area` (400 in the API, the field's error on
a page).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import django_filters as filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phoihop.core.errors import DomainError
from phoihop.core.forms import DATE_INPUT_FORMATS, place_domain_error, select, text_input
from phoihop.core.text import fold
from phoihop.exchange.enums import Topic, Urgency
from phoihop.exchange.models import InformationItem, Receipt
from phoihop.org.models import AdministrativeArea
from phoihop.org.refs import area_by_code_or_error, province_communes

BOX_INBOX, BOX_OUTBOX, BOX_ALL = "inbox", "outbox", "all"
PENDING, ACKNOWLEDGED = "pending", "acknowledged"
# What only the API offers: a page's box is its address, and `status` says what `pending` does.
API_ONLY = ("box", "pending")

_NUMBER = re.compile(r"^0*(\d{1,6})(?:/tt-?([a-z0-9-]*))?$")


def _number_q(needle: str) -> Q:
    """`15/TT-DBP-SK`, `15/tt-dbp` or plain `15`: the item number, and the issuer's code."""
    match = _NUMBER.match(needle)
    if match is None:
        return Q(pk__in=[])
    number, code = match.groups()
    found = Q(number=int(number))
    return found & Q(owner_unit__code__istartswith=code) if code else found


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _date_filter(label: Any, method: str, help_text: Any) -> filters.DateFilter:
    return filters.DateFilter(
        label=label,
        method=method,
        input_formats=DATE_INPUT_FORMATS,
        help_text=help_text,
        widget=text_input(placeholder="dd/mm/yyyy"),
    )


class ItemFilter(filters.FilterSet):
    """`box` says what "pending" means: the actor's own receipt (inbox, every item the actor
    sees) or any recipient's (outbox)."""

    q = filters.CharFilter(
        label=_("Tìm"),
        method="filter_text",
        help_text=_("Tìm theo số, trong trích yếu và nội dung, không phân biệt dấu và hoa thường"),
        widget=text_input(placeholder=_("Số, trích yếu, nội dung…")),
    )
    box = filters.ChoiceFilter(
        choices=[
            (BOX_INBOX, _("Thông tin đến (đơn vị mình nhận)")),
            (BOX_OUTBOX, _("Thông tin đi (đơn vị mình gửi)")),
            (BOX_ALL, _("Mọi thông tin được xem")),
        ],
        method="filter_box",
        label=_("Hộp thư"),
        help_text=_(
            "Hộp thư; thông tin đến xếp chưa xác nhận trước, rồi theo độ khẩn, mới nhất trước"
        ),
    )
    topic = filters.ChoiceFilter(
        label=_("Lĩnh vực"), choices=Topic.choices, empty_label=_("Tất cả"), widget=select()
    )
    urgency = filters.ChoiceFilter(
        label=_("Độ khẩn"),
        choices=Urgency.choices,
        empty_label=_("Tất cả"),
        widget=select(),
    )
    status = filters.ChoiceFilter(
        label=_("Trạng thái"),
        choices=[(PENDING, _("Chưa xác nhận")), (ACKNOWLEDGED, _("Đã xác nhận"))],
        empty_label=_("Tất cả"),
        method="filter_status",
        help_text=_("Như `pending`: pending (chờ xác nhận) hoặc acknowledged (đã xác nhận)"),
        widget=select(),
    )
    pending = filters.ChoiceFilter(
        choices=[("true", _("Có")), ("false", _("Không"))],
        method="filter_pending",
        label=_("Chờ xác nhận"),
        help_text=_(
            "Chờ xác nhận: với hộp thư đi, còn đơn vị nhận chưa xác nhận; "
            "với hộp khác, đơn vị mình chưa xác nhận"
        ),
    )
    area = filters.CharFilter(
        label=_("Địa bàn"),
        method="filter_area",
        help_text=_("Mã địa bàn hành chính (mã tỉnh gồm cả các xã của tỉnh)"),
    )
    sent_from = _date_filter(
        _("Gửi từ ngày"), "filter_from", _("Gửi từ ngày (dd/mm/yyyy hoặc YYYY-MM-DD)")
    )
    sent_to = _date_filter(
        _("đến ngày"), "filter_to", _("Gửi đến hết ngày (dd/mm/yyyy hoặc YYYY-MM-DD)")
    )

    class Meta:
        model = InformationItem
        fields: list[str] = []

    def __init__(
        self,
        data: Any = None,
        queryset: Any = None,
        *,
        request: Any = None,
        prefix: str | None = None,
        box: str | None = None,
    ) -> None:
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.actor: Any = request.user if request is not None else None
        # A page passes its box; the API names it in the query string.
        self.on_page = box is not None
        self.box = box or (self.data.get("box") if self.data else None) or BOX_ALL
        if self.on_page:
            for name in API_ONLY:
                self.filters.pop(name)
            communes = province_communes(self.actor) if self.actor is not None else []
            self.filters["area"].extra["widget"] = forms.Select(
                attrs={"class": "form-select"},
                choices=[("", _("Tất cả")), *((c.code, str(c)) for c in communes)],
            )

    def filter_queryset(self, queryset: QuerySet[InformationItem]) -> QuerySet[InformationItem]:
        try:
            return super().filter_queryset(queryset)
        except DomainError as error:
            if not self.on_page:
                raise
            place_domain_error(self.form, error)
            return queryset.none()

    def filter_box(
        self, queryset: QuerySet[InformationItem], name: str, value: str
    ) -> QuerySet[InformationItem]:
        # The box picks the selector the list starts from (ItemViewSet.selector, the views).
        return queryset

    def _waiting(self, queryset: QuerySet[InformationItem], waiting: bool) -> Any:
        unacknowledged = Receipt.objects.filter(item=OuterRef("pk"), acknowledged_at__isnull=True)
        if self.box != BOX_OUTBOX:
            unacknowledged = unacknowledged.filter(unit_id=self.actor.unit_id)
        found = Exists(unacknowledged)
        return queryset.filter(found if waiting else ~found)

    def filter_pending(self, queryset: QuerySet[InformationItem], name: str, value: str) -> Any:
        return self._waiting(queryset, value == "true")

    def filter_status(self, queryset: QuerySet[InformationItem], name: str, value: str) -> Any:
        return self._waiting(queryset, value == PENDING)

    def filter_area(self, queryset: QuerySet[InformationItem], name: str, value: str) -> Any:
        area = area_by_code_or_error(value, field="area")
        # A province's code takes in the items of its communes.
        tagged_areas = AdministrativeArea.objects.filter(
            Q(code=area.code) | Q(parent__code=area.code)
        )
        tagged = InformationItem.areas.through._default_manager.filter(
            administrativearea_id__in=tagged_areas.values("pk")
        ).values("informationitem_id")
        # Only narrows a list already drawn from the access rule.
        return queryset.filter(pk__in=tagged)

    def filter_from(self, queryset: QuerySet[InformationItem], name: str, value: dt.date) -> Any:
        return queryset.filter(sent_at__gte=_local_midnight(value))

    def filter_to(self, queryset: QuerySet[InformationItem], name: str, value: dt.date) -> Any:
        return queryset.filter(sent_at__lt=_local_midnight(value + dt.timedelta(days=1)))

    def filter_text(self, queryset: QuerySet[InformationItem], name: str, value: str) -> Any:
        """Number, title or content, ignoring case and diacritics (`nguyen` finds `Nguyễn`)."""
        needle = fold(value)
        if not needle:
            return queryset
        return queryset.filter(Q(search_text__contains=needle) | _number_q(needle))
