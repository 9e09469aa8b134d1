"""The figures of mass mobilisation, declared once (see `phoihop.core.figures`): what the
indicators, the coordination report and the dashboard count of forums, law propaganda, social
support and surrender campaigns.

The counting rules are those of `phoihop.mobilisation.selectors`: forums, propaganda and social
support count in the period of their first day and in their commune's area; campaigns count in
every period they run, their handed-in items by the day they were handed in (summed exactly in
the catalogue item's canonical unit), their coverage as the communes launched up to the period's
end over the current communes of the province — the scope's area's province, else its unit's or
the actor's. A scope's unit counts what it or a unit below it organised; the dashboard's force
filter keeps what a unit of that force organised.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from phoihop.core import formats
from phoihop.core.figures import (
    Derived,
    FigureKind,
    RecordRow,
    Results,
    Scope,
    Source,
    lazy,
    percent,
    scope_page,
    summed,
)
from phoihop.mobilisation.enums import OpinionTopic
from phoihop.mobilisation.models import ForumTopicCount
from phoihop.mobilisation.selectors import (
    campaign_figures,
    campaign_list,
    campaigns_in,
    forum_list,
    programme_list,
    propaganda_figures,
    propaganda_list,
    records_in,
)
from phoihop.org.enums import AreaLevel


def _of(listing: Any, by: Any = records_in) -> Any:
    """The records of one list selector in the scope: unit, period and area (`by`: the rule
    placing them in both), the organising unit's force."""

    def select(scope: Scope) -> QuerySet[Any]:
        qs = scope.narrow(listing(actor=scope.actor), by)
        if scope.force is not None:
            qs = qs.filter(owner_unit__force=scope.force)
        return qs.order_by()

    return select


def _row(url_name: str) -> Any:
    def row(record: Any) -> RecordRow:
        return RecordRow(
            getattr(record, "title", "") or getattr(record, "name", ""),
            reverse(url_name, args=[record.public_id]),
            formats.date(record.start_date),
            record.commune.name if getattr(record, "commune_id", None) else "",
        )

    return row


def _forum_row(forum: Any) -> RecordRow:
    return RecordRow(
        forum.title,
        reverse("mobilisation:forum_detail", args=[forum.public_id]),
        formats.date(forum.start_date),
        _("%(commune)s · %(opinions)s ý kiến")
        % {
            "commune": forum.commune.name if forum.commune_id else "",
            "opinions": formats.number(forum.opinions),
        },
    )


def _source(
    key: str,
    label: Any,
    listing: Any,
    *,
    row: Callable[[Any], RecordRow],
    page: str,
    by: Any = records_in,
    until: str = "",
    communes: str = "",
) -> Source:
    """A mobilisation record kind in the scope, listed on `page` filtered to it: dated by its
    first day (`until` its last, if it runs over several periods), newest first, placed in its
    province, its commune (`communes`) and its organising unit's force."""
    return Source(
        key,
        label=label,
        select=_of(listing, by),
        row=row,
        page=scope_page(page, by_force=False),
        dated="start_date",
        until=until,
        newest=("-start_date", "pk"),
        related=("commune",) if communes else (),
        communes=communes,
        province="province__code",
        forces="owner_unit__force__code",
    )


FORUMS = _source(
    "mobilisation.forums",
    gettext_lazy("Diễn đàn"),
    forum_list,
    row=_forum_row,
    page="mobilisation:forum_list",
    communes="commune_id",
)
PROPAGANDA = _source(
    "mobilisation.propaganda",
    gettext_lazy("Buổi tuyên truyền pháp luật"),
    propaganda_list,
    row=_row("mobilisation:propaganda_detail"),
    page="mobilisation:propaganda_list",
    communes="commune_id",
)
PROGRAMMES = _source(
    "mobilisation.programmes",
    gettext_lazy("Chương trình an sinh xã hội"),
    programme_list,
    row=_row("mobilisation:programme_detail"),
    page="mobilisation:programme_list",
    communes="commune_id",
)
CAMPAIGNS = _source(
    "mobilisation.campaigns",
    gettext_lazy("Đợt vận động giao nộp vũ khí, vật liệu nổ"),
    campaign_list,
    row=_row("mobilisation:campaign_detail"),
    page="mobilisation:campaign_list",
    by=campaigns_in,
    until="end_date",
)

# --- forums "Công an lắng nghe ý kiến Nhân dân" ---------------------------------------------------

FORUM_COUNT = FORUMS.figure(
    "mobilisation.forums",
    gettext_lazy("Diễn đàn “Công an lắng nghe ý kiến Nhân dân”"),
    unit=gettext_lazy("diễn đàn"),
    order=500,
    report=True,
    derived=Derived(
        "Số diễn đàn “Công an lắng nghe ý kiến Nhân dân”",
        "diễn đàn",
        description="Diễn đàn do đơn vị (hoặc đơn vị cấp dưới) tổ chức, bắt đầu trong kỳ.",
    ),
)
ATTENDEES = FORUMS.figure(
    "mobilisation.attendees",
    gettext_lazy("Lượt người dự diễn đàn"),
    unit=gettext_lazy("lượt người"),
    total="attendees",
    order=510,
    report=True,
    derived=Derived(
        "Số lượt người tham dự diễn đàn", "lượt người", code="mobilisation.forum_attendees"
    ),
)
OPINIONS = FORUMS.figure(
    "mobilisation.opinions",
    gettext_lazy("Ý kiến của Nhân dân tại diễn đàn"),
    unit=gettext_lazy("ý kiến"),
    total="opinions",
    order=520,
    report=True,
    derived=Derived(
        "Số ý kiến Nhân dân nêu tại diễn đàn",
        "ý kiến",
        description="Tổng số ý kiến ghi nhận tại các diễn đàn của kỳ (kể cả ý kiến chưa phân "
        "loại lĩnh vực).",
    ),
)
TOPICS = FORUMS.family(
    "mobilisation.opinions.topic", unit=gettext_lazy("ý kiến"), order=521, report=True
)


@FORUMS.provider(TOPICS)
def _topics(records: QuerySet[Any], scope: Scope, out: Results) -> None:
    """Opinions by topic, as each forum's breakdown records them."""
    counts = ForumTopicCount.objects.filter(forum__in=records.values("pk"), count__gt=0)
    opinions = dict(counts.order_by().values_list("topic").annotate(n=Sum("count")))
    forums: dict[str, set[str]] = defaultdict(set)
    for topic, public_id in counts.order_by().values_list("topic", "forum__public_id"):
        forums[topic].add(str(public_id))
    for topic, name in OpinionTopic.choices:
        if opinions.get(topic):
            out.add(
                TOPICS.member(topic, name),
                opinions[topic],
                records.filter(pk__in=counts.filter(topic=topic).values("forum_id")),
                ids=forums[topic],
            )


# --- law propaganda ---------------------------------------------------------------------------

SESSIONS = PROPAGANDA.figure(
    "mobilisation.propaganda.sessions",
    gettext_lazy("Buổi tuyên truyền pháp luật"),
    unit=gettext_lazy("buổi"),
    total="sessions",
    order=530,
    report=True,
    derived=Derived(
        "Số buổi tuyên truyền, phổ biến pháp luật",
        "buổi",
        code="mobilisation.propaganda_sessions",
        description="Buổi tuyên truyền do đơn vị (hoặc đơn vị cấp dưới) tổ chức trong kỳ; một "
        "buổi về nhiều luật tính một lần.",
    ),
)
LISTENERS = PROPAGANDA.figure(
    "mobilisation.propaganda.attendees",
    gettext_lazy("Lượt người nghe tuyên truyền pháp luật"),
    unit=gettext_lazy("lượt người"),
    total="attendees",
    order=540,
    report=True,
    derived=Derived(
        "Số lượt người nghe tuyên truyền, phổ biến pháp luật",
        "lượt người",
        code="mobilisation.propaganda_attendees",
    ),
)
LAWS = PROPAGANDA.family(
    "mobilisation.propaganda.law", unit=gettext_lazy("buổi"), order=541, report=True
)


@PROPAGANDA.provider(LAWS)
def _laws(records: QuerySet[Any], scope: Scope, out: Results) -> None:
    """Sessions by law: a record on several laws counts for each of them."""
    by_law = propaganda_figures(records).by_law

    @lazy
    def sessions_of() -> dict[str, set[str]]:
        found: dict[str, set[str]] = defaultdict(set)
        for public_id, code in records.values_list("public_id", "laws__code"):
            found[code].add(str(public_id))
        return found

    def ids_of(code: str) -> Callable[[], tuple[str, ...]]:
        return lambda: tuple(sorted(sessions_of()[code]))

    for law in by_law:
        code = law.law.code
        out.add(
            LAWS.member(code, label=law.law.name),
            law.sessions,
            records.filter(laws__code=code),
            ids=ids_of(code),
        )


# --- social support ---------------------------------------------------------------------------

PROGRAMME_COUNT = PROGRAMMES.figure(
    "mobilisation.programmes",
    gettext_lazy("Chương trình an sinh xã hội"),
    unit=pgettext_lazy("unit of count", "chương trình"),
    order=550,
    report=True,
)
BENEFICIARIES = PROGRAMMES.figure(
    "mobilisation.programmes.beneficiaries",
    gettext_lazy("Lượt người được hỗ trợ"),
    unit=gettext_lazy("lượt người"),
    total="beneficiaries",
    order=551,
    report=True,
    derived=Derived(
        "Số người được hỗ trợ an sinh xã hội",
        "người",
        code="mobilisation.social_beneficiaries",
        description="Người được hỗ trợ trong các hoạt động an sinh xã hội do đơn vị (hoặc đơn "
        "vị cấp dưới) tổ chức, bắt đầu trong kỳ.",
        order=600,
    ),
)
SUPPORT_VALUE = PROGRAMMES.figure(
    "mobilisation.programmes.value",
    gettext_lazy("Giá trị hỗ trợ"),
    unit=gettext_lazy("đồng"),
    kind=FigureKind.AMOUNT,
    order=552,
    report=True,
)


@PROGRAMMES.provider(SUPPORT_VALUE)
def _support_value(records: QuerySet[Any], scope: Scope, out: Results) -> None:
    value, ids = summed(records, "value")
    out.add(SUPPORT_VALUE, value, ids=ids)


# --- surrender campaigns ------------------------------------------------------------------------

COVERAGE = CAMPAIGNS.figure(
    "campaigns.coverage",
    gettext_lazy("Tỷ lệ xã, phường triển khai vận động giao nộp"),
    kind=FigureKind.PERCENT,
    order=560,
    report=True,
    derived=Derived(
        "Tỷ lệ xã, phường đã phát động vận động giao nộp vũ khí, vật liệu nổ",
        "%",
        code="mobilisation.campaign_coverage",
        value_kind="decimal",
        aggregation="last",
        description="Số xã, phường đã phát động (tính đến hết kỳ) trên số xã, phường hiện hành "
        "của tỉnh (0 khi không có đợt vận động nào).",
    ),
)
LAUNCHED = CAMPAIGNS.figure(
    "campaigns.communes",
    gettext_lazy("Xã, phường đã triển khai"),
    unit=pgettext_lazy("unit of count", "xã, phường"),
    order=561,
    report=True,
    derived=Derived(
        "Số xã, phường đã phát động vận động giao nộp vũ khí, vật liệu nổ",
        "xã, phường",
        code="mobilisation.campaign_communes",
        aggregation="last",
        order=550,
        description="Xã, phường hiện hành của tỉnh đã phát động (tính đến hết kỳ) trong các đợt "
        "vận động do đơn vị (hoặc đơn vị cấp dưới) chủ trì, đang diễn ra trong kỳ.",
    ),
)
HANDED_IN = CAMPAIGNS.family(
    "campaigns.handed_in", kind=FigureKind.QUANTITY, order=570, report=True
)
# Handed-in items the periodic forms ask for: catalogue code, indicator name, canonical unit.
HANDED_IN.derive_quantities(
    [
        ("thuoc-no", "Thuốc nổ được giao nộp", "kg"),
        ("sung", "Súng các loại được giao nộp", "khẩu"),
        ("dao-kiem", "Dao, kiếm được giao nộp", "cái"),
    ],
    whole=["khẩu", "cái"],
    order=570,
    description="Tổng số lượng Nhân dân giao nộp trong kỳ, trong các đợt vận động do đơn vị "
    "(hoặc đơn vị cấp dưới) chủ trì, tính bằng {unit}.",
    code="mobilisation.handed_in.{value}",
)


def _province(scope: Scope) -> Any:
    """The province a coverage is measured over: the scope's area's, else the scope unit's,
    else the actor's unit's."""
    if scope.area is not None:
        return scope.area if scope.area.level == AreaLevel.PROVINCE else scope.area.province
    unit = scope.unit or getattr(scope.actor, "unit", None)
    return unit.province if unit is not None else None


@CAMPAIGNS.provider(COVERAGE, LAUNCHED)
def _coverage(records: QuerySet[Any], scope: Scope, out: Results) -> None:
    province = _province(scope)
    if province is None:
        return
    campaigns = records.filter(Q(area=province) | Q(province=province))
    figures = campaign_figures(campaigns, start=scope.start, end=scope.end, area=province)
    share = percent(figures.launched or 0, figures.communes or 0)
    if share is None or not figures.campaigns:
        return
    ids = lazy(lambda: tuple(sorted(str(c.campaign.public_id) for c in figures.campaigns)))
    out.add(COVERAGE, share, campaigns, ids=ids)
    out.add(LAUNCHED, figures.launched or 0, campaigns, ids=ids)


@CAMPAIGNS.provider(HANDED_IN)
def _handed_in(records: QuerySet[Any], scope: Scope, out: Results) -> None:
    figures = campaign_figures(records, start=scope.start, end=scope.end, area=scope.area)
    ids = tuple(sorted(str(c.campaign.public_id) for c in figures.campaigns))
    for total in figures.handed_in:
        out.add(
            HANDED_IN.member(
                total.item.code,
                label=_("%(item)s được giao nộp") % {"item": total.item.name},
                unit=total.item.report_phrase,
            ),
            total.quantity,
            ids=ids,
        )
