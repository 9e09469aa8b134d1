"""Figure builders: every figure of the coordination report for one area and period.

Each figure is read through the owning module's selectors, which all start from the access rule,
so a report made for a user counts only the records that user may see — no total leaks an
invisible record. Each figure carries its value for the period, for the previous period and for
the same period of the previous year, and its provenance: the public ids of the records behind
the period's value and, where the module has one, the list page filtered to them.

The same collection runs once per period (three times in all), each a fixed number of queries
whatever the volume of records: the figures are aggregated in the database or from one
`values_list` per kind of record.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import Model, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from phoihop.cases import selectors as case_selectors
from phoihop.cases.enums import CaseCategory, CaseDomain
from phoihop.cases.models import Case, CaseUnit, WantedPerson
from phoihop.core.errors import DomainError
from phoihop.exchange import figures as exchange_figures
from phoihop.exchange.enums import VerificationStatus
from phoihop.exchange.models import InformationItem
from phoihop.exchange.selectors import info_item_list
from phoihop.indicators import selectors as indicator_selectors
from phoihop.indicators.periods import Period, active_rule
from phoihop.mobilisation import selectors as mob
from phoihop.mobilisation.enums import OpinionTopic
from phoihop.mobilisation.models import (
    Forum,
    ForumTopicCount,
    PropagandaSession,
    SocialProgramme,
    SurrenderCampaign,
)
from phoihop.operations import selectors as ops
from phoihop.operations.enums import PatrolRoute, ProtectionTarget, ZoneKind
from phoihop.operations.models import Checkpoint, Patrol, ProtectedZone, Protection, Rescue
from phoihop.org.enums import AreaLevel
from phoihop.org.models import AdministrativeArea, Force
from phoihop.reports.document import Figure, FigureKind, Number, Provenance

_PERCENT = Decimal("0.1")
_ANSWERED = (VerificationStatus.ANSWERED, VerificationStatus.CLOSED)


@dataclass
class Overdue:
    """A unit that let acknowledgements or verifications run past their due time."""

    unit: str
    level: str
    acknowledgements: int = 0
    verifications: int = 0


@dataclass
class LateSubmission:
    unit: str
    form: str
    deadline: dt.date
    missing: bool  # not received at all (else received after the deadline)


@dataclass
class FigureSet:
    """Every figure of one area and period, as one actor sees them, and the measured facts the
    limitations are written from."""

    area: AdministrativeArea
    period: Period
    rule: str
    start: dt.date
    end: dt.date
    figures: dict[str, Figure] = field(default_factory=dict)
    overdue: list[Overdue] = field(default_factory=list)
    late_submissions: list[LateSubmission] = field(default_factory=list)
    submissions_expected: int = 0

    def get(self, key: str) -> Figure | None:
        return self.figures.get(key)

    def value(self, key: str) -> Number:
        figure = self.figures.get(key)
        return 0 if figure is None else figure.value

    def starting(self, prefix: str) -> list[Figure]:
        return [f for k, f in self.figures.items() if k.startswith(prefix)]


@dataclass
class _Raw:
    label: str
    value: Number
    kind: FigureKind = FigureKind.COUNT
    unit: str = ""
    provenance: list[Provenance] = field(default_factory=list)


# --- areas and periods --------------------------------------------------------------------------


def resolve_area(code: str) -> AdministrativeArea:
    """The current province or commune with this official code; a clear error otherwise."""
    cleaned = (code or "").strip()
    area = (
        AdministrativeArea.objects.filter(
            code=cleaned,
            level__in=[AreaLevel.PROVINCE, AreaLevel.COMMUNE],
            valid_until__isnull=True,
        )
        .select_related("parent")
        .first()
        if cleaned
        else None
    )
    if area is None:
        message = _(
            "Không có tỉnh hoặc xã nào đang có hiệu lực mang mã “%(code)s”. Dùng mã hành chính "
            "chính thức: 2 chữ số cho tỉnh (ví dụ 42), 5 chữ số cho xã."
        ) % {"code": code}
        raise DomainError(message, code="invalid_area", fields={"area": [message]})
    return area


def _ids(values: Iterable[Any]) -> tuple[str, ...]:
    return tuple(sorted({str(v) for v in values}))


def _prov(model: type[Model], ids: Iterable[Any], url: str = "") -> list[Provenance]:
    return [Provenance(model=model._meta.label_lower, ids=_ids(ids), url=url)]


def _url(name: str, query: dict[str, Any], **kwargs: Any) -> str:
    return f"{reverse(name, kwargs=kwargs or None)}?{urlencode(query)}"


def _percent(share: Decimal | None) -> Decimal | None:
    if share is None:
        return None
    return (share * 100).quantize(_PERCENT, rounding=ROUND_HALF_UP)


# --- one period ---------------------------------------------------------------------------------


class _Collector:
    def __init__(
        self, *, actor: Any, area: AdministrativeArea, start: dt.date, end: dt.date
    ) -> None:
        self.actor = actor
        self.area = area
        self.start = start
        self.end = end
        self.raw: dict[str, _Raw] = {}
        self.overdue: dict[str, Overdue] = {}
        self.forces = {f.code: f for f in Force.objects.order_by("order", "code")}

    def add(self, key: str, raw: _Raw) -> None:
        self.raw[key] = raw

    def force_name(self, code: str) -> str:
        force = self.forces.get(code)
        return force.name if force is not None else code

    def run(self) -> dict[str, _Raw]:
        self.exchange()
        self.mobilisation()
        self.cases()
        self.wanted()
        self.operations()
        return self.raw

    # --- information exchange

    def _item_area_q(self) -> Q:
        if self.area.level == AreaLevel.PROVINCE:
            return Q(province=self.area)
        merged = AdministrativeArea.objects.filter(successors=self.area).values("pk")
        return Q(areas=self.area) | Q(areas__in=merged)

    def exchange(self) -> None:
        actor, start, end = self.actor, self.start, self.end
        in_area = exchange_figures.items_in_period(actor=actor, start=start, end=end).filter(
            pk__in=info_item_list(actor=actor).filter(self._item_area_q()).values("pk")
        )
        area_ids = {str(v) for v in in_area.values_list("public_id", flat=True)}
        items = exchange_figures.item_figures(actor=actor, start=start, end=end)

        def within(ids: Iterable[Any]) -> list[str]:
            return [i for i in (str(v) for v in ids) if i in area_ids]

        exchanged = within(items.exchanged.provenance)
        self.add(
            "exchange.items",
            _Raw(
                _("Thông tin trao đổi giữa các lực lượng"),
                len(exchanged),
                unit=_("thông tin"),
                provenance=_prov(InformationItem, exchanged),
            ),
        )
        for force_items in items.by_force:
            code = force_items.force.code
            sent = within(force_items.sent.provenance)
            received = within(force_items.received.provenance)
            if sent:
                self.add(
                    f"exchange.items.sent.{code}",
                    _Raw(
                        _("Thông tin do %(force)s gửi") % {"force": force_items.force.name},
                        len(sent),
                        unit=_("thông tin"),
                        provenance=_prov(InformationItem, sent),
                    ),
                )
            if received:
                self.add(
                    f"exchange.items.received.{code}",
                    _Raw(
                        _("Thông tin %(force)s tiếp nhận") % {"force": force_items.force.name},
                        len(received),
                        unit=_("thông tin"),
                        provenance=_prov(InformationItem, received),
                    ),
                )
        now = timezone.now()
        receipts = exchange_figures.receipts_in_period(actor=actor, start=start, end=end).filter(
            item__in=in_area.values("pk")
        )
        received_ids: list[str] = []
        on_time: list[str] = []
        overdue: list[str] = []
        for item, unit, level, due, acked in receipts.values_list(
            "item__public_id", "unit__name", "unit__level__name", "ack_due_at", "acknowledged_at"
        ):
            received_ids.append(str(item))
            if acked is not None and acked <= now:
                if acked <= due:
                    on_time.append(str(item))
            elif due < now:
                overdue.append(str(item))
                self.overdue.setdefault(unit, Overdue(unit, level)).acknowledgements += 1
        if received_ids:
            self.add(
                "exchange.ack.received",
                _Raw(
                    _("Lượt tiếp nhận thông tin"),
                    len(received_ids),
                    unit=pgettext("unit of count", "lượt"),
                    provenance=_prov(InformationItem, received_ids),
                ),
            )
            self.add(
                "exchange.ack.on_time_share",
                _Raw(
                    _("Tỷ lệ xác nhận tiếp nhận đúng hạn"),
                    _percent(Decimal(len(on_time)) / len(received_ids)) or Decimal(0),
                    kind=FigureKind.PERCENT,
                    provenance=_prov(InformationItem, on_time),
                ),
            )
            self.add(
                "exchange.ack.overdue",
                _Raw(
                    _("Lượt tiếp nhận quá hạn chưa xác nhận"),
                    len(overdue),
                    unit=pgettext("unit of count", "lượt"),
                    provenance=_prov(InformationItem, overdue),
                ),
            )
        requests = exchange_figures.verifications_in_period(
            actor=actor, start=start, end=end
        ).filter(item__in=in_area.values("pk"))
        requested: list[str] = []
        answered_on_time: list[str] = []
        late: list[str] = []
        for item, unit, level, due, status, answered in requests.values_list(
            "item__public_id",
            "assigned_unit__name",
            "assigned_unit__level__name",
            "due_at",
            "status",
            "answered_at",
        ):
            requested.append(str(item))
            if status in _ANSWERED and answered is not None and answered <= now:
                if answered <= due:
                    answered_on_time.append(str(item))
            elif due < now:
                late.append(str(item))
                self.overdue.setdefault(unit, Overdue(unit, level)).verifications += 1
        if requested:
            self.add(
                "exchange.verify.requested",
                _Raw(
                    _("Yêu cầu kiểm tra, xác minh"),
                    len(requested),
                    unit=_("yêu cầu"),
                    provenance=_prov(InformationItem, requested),
                ),
            )
            self.add(
                "exchange.verify.on_time_share",
                _Raw(
                    _("Tỷ lệ xác minh xong đúng hạn"),
                    _percent(Decimal(len(answered_on_time)) / len(requested)) or Decimal(0),
                    kind=FigureKind.PERCENT,
                    provenance=_prov(InformationItem, answered_on_time),
                ),
            )
            self.add(
                "exchange.verify.overdue",
                _Raw(
                    _("Yêu cầu xác minh quá hạn chưa có kết quả"),
                    len(late),
                    unit=_("yêu cầu"),
                    provenance=_prov(InformationItem, late),
                ),
            )

    # --- mass mobilisation

    def _mob_query(self) -> dict[str, str]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "area": self.area.code,
        }

    def mobilisation(self) -> None:
        actor, start, end, area = self.actor, self.start, self.end, self.area
        query = self._mob_query()
        forums = mob.records_in(mob.forum_list(actor=actor), start=start, end=end, area=area)
        forum_ids = list(forums.values_list("public_id", flat=True))
        ff = mob.forum_figures(forums)
        forum_prov = _prov(Forum, forum_ids, _url("mobilisation:forum_list", query))
        self.add(
            "mobilisation.forums",
            _Raw(
                _("Diễn đàn “Công an lắng nghe ý kiến Nhân dân”"),
                ff.forums,
                unit=_("diễn đàn"),
                provenance=forum_prov,
            ),
        )
        self.add(
            "mobilisation.attendees",
            _Raw(
                _("Lượt người dự diễn đàn"),
                ff.attendees,
                unit=_("lượt người"),
                provenance=forum_prov,
            ),
        )
        self.add(
            "mobilisation.opinions",
            _Raw(
                _("Ý kiến của Nhân dân tại diễn đàn"),
                ff.opinions,
                unit=_("ý kiến"),
                provenance=forum_prov,
            ),
        )
        topic_forums: dict[str, set[str]] = defaultdict(set)
        for topic, public_id in (
            ForumTopicCount.objects.filter(forum__in=forums.values("pk"), count__gt=0)
            .order_by()
            .values_list("topic", "forum__public_id")
        ):
            topic_forums[topic].add(str(public_id))
        for topic, count in ff.by_topic.items():
            if count:
                self.add(
                    f"mobilisation.opinions.topic.{topic}",
                    _Raw(
                        str(OpinionTopic(topic).label),
                        count,
                        unit=_("ý kiến"),
                        provenance=_prov(
                            Forum, topic_forums[topic], _url("mobilisation:forum_list", query)
                        ),
                    ),
                )
        sessions = mob.records_in(mob.propaganda_list(actor=actor), start=start, end=end, area=area)
        session_rows = list(sessions.values_list("public_id", "laws__code"))
        pf = mob.propaganda_figures(sessions)
        url = _url("mobilisation:propaganda_list", query)
        all_sessions = _prov(PropagandaSession, [r[0] for r in session_rows], url)
        self.add(
            "mobilisation.propaganda.sessions",
            _Raw(
                _("Buổi tuyên truyền pháp luật"),
                pf.sessions,
                unit=_("buổi"),
                provenance=all_sessions,
            ),
        )
        self.add(
            "mobilisation.propaganda.attendees",
            _Raw(
                _("Lượt người nghe tuyên truyền pháp luật"),
                pf.attendees,
                unit=_("lượt người"),
                provenance=all_sessions,
            ),
        )
        for law in pf.by_law:
            ids = [pid for pid, code in session_rows if code == law.law.code]
            self.add(
                f"mobilisation.propaganda.law.{law.law.code}",
                _Raw(
                    law.law.name,
                    law.sessions,
                    unit=_("buổi"),
                    provenance=_prov(PropagandaSession, ids, url),
                ),
            )
        programmes = mob.records_in(
            mob.programme_list(actor=actor), start=start, end=end, area=area
        )
        pr = mob.programme_figures(programmes)
        prov = _prov(
            SocialProgramme,
            programmes.values_list("public_id", flat=True),
            _url("mobilisation:programme_list", query),
        )
        self.add(
            "mobilisation.programmes",
            _Raw(
                _("Chương trình an sinh xã hội"),
                pr.records,
                unit=pgettext("unit of count", "chương trình"),
                provenance=prov,
            ),
        )
        self.add(
            "mobilisation.programmes.beneficiaries",
            _Raw(
                _("Lượt người được hỗ trợ"), pr.beneficiaries, unit=_("lượt người"), provenance=prov
            ),
        )
        self.add(
            "mobilisation.programmes.value",
            _Raw(
                _("Giá trị hỗ trợ"),
                pr.value,
                kind=FigureKind.AMOUNT,
                unit=_("đồng"),
                provenance=prov,
            ),
        )
        campaigns = mob.campaigns_in(
            mob.campaign_list(actor=actor), start=start, end=end, area=area
        )
        campaign_ids = list(campaigns.values_list("public_id", flat=True))
        cf = mob.campaign_figures(campaigns, start=start, end=end, area=area)
        prov = _prov(SurrenderCampaign, campaign_ids, _url("mobilisation:campaign_list", query))
        if cf.share is not None and campaign_ids:
            self.add(
                "campaigns.coverage",
                _Raw(
                    _("Tỷ lệ xã, phường triển khai vận động giao nộp"),
                    _percent(cf.share) or Decimal(0),
                    kind=FigureKind.PERCENT,
                    provenance=prov,
                ),
            )
            self.add(
                "campaigns.communes",
                _Raw(
                    _("Xã, phường đã triển khai"),
                    cf.launched or 0,
                    unit=pgettext("unit of count", "xã, phường"),
                    provenance=prov,
                ),
            )
        for total in cf.handed_in:
            self.add(
                f"campaigns.handed_in.{total.item.code}",
                _Raw(
                    _("%(item)s được giao nộp") % {"item": total.item.name},
                    total.quantity,
                    kind=FigureKind.QUANTITY,
                    unit=total.item.report_phrase,
                    provenance=prov,
                ),
            )

    # --- crime fighting

    def cases(self) -> None:
        actor, start, end, area = self.actor, self.start, self.end, self.area
        cases = case_selectors.cases_in(
            case_selectors.case_list(actor=actor), start=start, end=end, area=area
        )
        figures = case_selectors.case_figures(cases)
        rows = list(
            cases.order_by().values_list(
                "public_id", "category", "domain", "lead_force__code", "outcome"
            )
        )
        base_query = {
            "detected_from": start.isoformat(),
            "detected_to": end.isoformat(),
            "area": area.code,
        }

        def prov(ids: Iterable[Any], **query: str) -> list[Provenance]:
            return _prov(Case, ids, _url("cases:index", {**base_query, **query}))

        every = [r[0] for r in rows]
        self.add(
            "cases.count",
            _Raw(
                _("Vụ việc phát hiện, bắt giữ, xử lý"),
                figures.cases,
                unit=_("vụ"),
                provenance=prov(every),
            ),
        )
        self.add(
            "cases.persons",
            _Raw(
                _("Đối tượng bị bắt giữ, xử lý"),
                figures.persons,
                unit=_("đối tượng"),
                provenance=prov(every),
            ),
        )
        self.add(
            "cases.organisations",
            _Raw(
                _("Tổ chức vi phạm bị xử lý"),
                figures.organisations,
                unit=_("tổ chức"),
                provenance=prov(every),
            ),
        )
        for category in CaseCategory.values:
            count = figures.by_category.get(category, 0)
            if not count:
                continue
            self.add(
                f"cases.category.{category}",
                _Raw(
                    str(CaseCategory(category).label),
                    count,
                    unit=_("vụ"),
                    provenance=prov([r[0] for r in rows if r[1] == category], category=category),
                ),
            )
        for domain in CaseDomain.values:
            count = figures.by_domain.get(domain, 0)
            if not count:
                continue
            self.add(
                f"cases.domain.{domain}",
                _Raw(
                    _("Địa bàn %(domain)s") % {"domain": str(CaseDomain(domain).label).lower()},
                    count,
                    unit=_("vụ"),
                    provenance=prov([r[0] for r in rows if r[2] == domain], domain=domain),
                ),
            )
        for code in self.forces:
            count = figures.by_lead_force.get(code, 0)
            if not count:
                continue
            self.add(
                f"cases.lead_force.{code}",
                _Raw(
                    _("Vụ do %(force)s chủ trì") % {"force": self.force_name(code)},
                    count,
                    unit=_("vụ"),
                    provenance=prov([r[0] for r in rows if r[3] == code], lead_force=code),
                ),
            )
        participation: dict[str, set[str]] = defaultdict(set)
        for public_id, code in (
            CaseUnit.objects.filter(case__in=cases.values("pk"))
            .order_by()
            .values_list("case__public_id", "force__code")
        ):
            participation[code].add(str(public_id))
        for code in self.forces:
            count = figures.by_participating_force.get(code, 0)
            if not count:
                continue
            self.add(
                f"cases.force.{code}",
                _Raw(
                    _("Vụ có %(force)s tham gia") % {"force": self.force_name(code)},
                    count,
                    unit=_("vụ"),
                    provenance=prov(participation[code], force=code),
                ),
            )
        for key, outcome, label in (
            ("cases.prosecuted", "prosecution", _("Vụ khởi tố hình sự")),
            ("cases.sanctioned", "administrative", _("Vụ xử phạt vi phạm hành chính")),
        ):
            count = figures.by_outcome.get(outcome, 0)
            if count:
                self.add(
                    key,
                    _Raw(
                        label,
                        count,
                        unit=_("vụ"),
                        provenance=prov([r[0] for r in rows if r[4] == outcome]),
                    ),
                )
        if figures.fines:
            self.add(
                "cases.fines",
                _Raw(
                    _("Tiền phạt vi phạm hành chính"),
                    figures.fines,
                    kind=FigureKind.AMOUNT,
                    unit=_("đồng"),
                    provenance=prov([r[0] for r in rows if r[4] == "administrative"]),
                ),
            )
        holders: dict[str, set[str]] = defaultdict(set)
        for code, public_id in (
            case_selectors.seized_item_list(actor=actor)
            .filter(case__in=cases.values("pk"))
            .order_by()
            .values_list("item__code", "case__public_id")
        ):
            holders[code].add(str(public_id))
        for total in figures.seized:
            self.add(
                f"cases.seized.{total.item.code}",
                _Raw(
                    total.item.name,
                    total.quantity,
                    kind=FigureKind.QUANTITY,
                    unit=total.item.report_phrase,
                    provenance=prov(holders[total.item.code]),
                ),
            )

    def wanted(self) -> None:
        caught = case_selectors.wanted_arrested(
            actor=self.actor, start=self.start, end=self.end, area=self.area
        )
        ids = list(caught.values_list("public_id", flat=True))
        self.add(
            "wanted.arrested",
            _Raw(
                _("Đối tượng truy nã bị bắt, đầu thú"),
                len(ids),
                unit=_("đối tượng truy nã"),
                provenance=_prov(WantedPerson, ids, reverse("cases:wanted")),
            ),
        )

    # --- joint operations

    def operations(self) -> None:
        actor, start, end, area = self.actor, self.start, self.end, self.area
        query = {"start": start.isoformat(), "end": end.isoformat(), "area": area.code}

        def of(qs: QuerySet[Any]) -> QuerySet[Any]:
            return ops.records_in(qs, start=start, end=end, area=area)

        protections = of(ops.protection_list(actor=actor))
        pf = ops.protection_figures(protections)
        rows = list(protections.order_by().values_list("public_id", "target"))
        url = _url("operations:list", query, kind="protections")
        for key, target, count, label, unit in (
            (
                "protection.delegations",
                ProtectionTarget.DELEGATION,
                pf.delegations,
                _("Đoàn được bảo vệ"),
                _("đoàn"),
            ),
            (
                "protection.events",
                ProtectionTarget.EVENT,
                pf.events,
                _("Sự kiện được bảo vệ"),
                _("sự kiện"),
            ),
        ):
            self.add(
                key,
                _Raw(
                    label,
                    count,
                    unit=unit,
                    provenance=_prov(Protection, [r[0] for r in rows if r[1] == target], url),
                ),
            )
        zones = of(ops.zone_list(actor=actor))
        zone_rows = list(zones.order_by().values_list("public_id", "zone_kind"))
        zf = ops.zone_figures(zones)
        url = _url("operations:list", query, kind="zones")
        for kind, count in zf.by_kind.items():
            ids = [r[0] for r in zone_rows if r[1] == kind]
            if kind == ZoneKind.KEY_TARGET:
                self.add(
                    "protection.key_targets",
                    _Raw(
                        _("Mục tiêu trọng điểm được bảo vệ"),
                        count,
                        unit=_("mục tiêu"),
                        provenance=_prov(ProtectedZone, ids, url),
                    ),
                )
            else:
                self.add(
                    f"zones.{kind}",
                    _Raw(
                        str(ZoneKind(kind).label),
                        count,
                        unit=pgettext("unit of count", "khu vực"),
                        provenance=_prov(ProtectedZone, ids, url),
                    ),
                )
        checkpoints = of(ops.checkpoint_list(actor=actor))
        kf = ops.checkpoint_figures(checkpoints, start=start, end=end)
        prov = _prov(
            Checkpoint,
            checkpoints.values_list("public_id", flat=True),
            _url("operations:list", query, kind="checkpoints"),
        )
        if kf.checkpoints:
            self.add(
                "checkpoints.count",
                _Raw(
                    _("Chốt kiểm soát hoạt động"),
                    kf.checkpoints,
                    unit=pgettext("unit of count", "chốt"),
                    provenance=prov,
                ),
            )
            self.add(
                "checkpoints.vehicles",
                _Raw(
                    _("Lượt phương tiện được kiểm soát"),
                    kf.vehicles,
                    unit=_("lượt phương tiện"),
                    provenance=prov,
                ),
            )
            self.add(
                "checkpoints.people",
                _Raw(
                    _("Lượt người được kiểm soát"), kf.people, unit=_("lượt người"), provenance=prov
                ),
            )
        patrols = of(ops.patrol_list(actor=actor))
        patrol_rows = list(patrols.order_by().values_list("public_id", "route"))
        tf = ops.patrol_figures(patrols, actor=actor)
        url = _url("operations:list", query, kind="patrols")
        if tf.patrols:
            self.add(
                "patrols.count",
                _Raw(
                    _("Cuộc tuần tra, kiểm soát chung"),
                    tf.patrols,
                    unit=_("cuộc"),
                    provenance=_prov(Patrol, [r[0] for r in patrol_rows], url),
                ),
            )
        for route, total in tf.by_route.items():
            ids = [r[0] for r in patrol_rows if r[1] == route]
            self.add(
                f"patrols.route.{route}",
                _Raw(
                    _("Tuần tra tuyến %(route)s")
                    % {"route": str(PatrolRoute(route).label).lower()},
                    total.patrols,
                    unit=_("cuộc"),
                    provenance=_prov(Patrol, ids, url),
                ),
            )
        rescues = of(ops.rescue_list(actor=actor))
        rf = ops.rescue_figures(rescues)
        prov = _prov(
            Rescue,
            rescues.values_list("public_id", flat=True),
            _url("operations:list", query, kind="rescues"),
        )
        if rf.incidents:
            self.add(
                "rescue.incidents",
                _Raw(
                    _("Vụ thiên tai, sự cố được ứng phó, cứu hộ, cứu nạn"),
                    rf.incidents,
                    unit=_("vụ"),
                    provenance=prov,
                ),
            )
            self.add(
                "rescue.personnel",
                _Raw(
                    _("Lượt cán bộ, chiến sĩ tham gia"),
                    rf.commitment.personnel,
                    unit=_("lượt cán bộ, chiến sĩ"),
                    provenance=prov,
                ),
            )
            self.add(
                "rescue.vehicles",
                _Raw(
                    _("Lượt phương tiện huy động"),
                    rf.commitment.all_vehicles,
                    unit=_("lượt phương tiện"),
                    provenance=prov,
                ),
            )
            self.add(
                "rescue.rescued",
                _Raw(_("Người được cứu"), rf.people_rescued, unit=_("người"), provenance=prov),
            )
            self.add(
                "rescue.evacuated",
                _Raw(_("Người được sơ tán"), rf.people_evacuated, unit=_("người"), provenance=prov),
            )
            self.add(
                "rescue.vessels",
                _Raw(
                    _("Phương tiện được hỗ trợ"),
                    rf.vessels_assisted,
                    unit=_("phương tiện"),
                    provenance=prov,
                ),
            )


def _collect(
    *, actor: Any, area: AdministrativeArea, window: tuple[dt.date, dt.date]
) -> _Collector:
    collector = _Collector(actor=actor, area=area, start=window[0], end=window[1])
    collector.run()
    return collector


def _other(raw: _Raw | None, kind: FigureKind, zero: Number) -> Number | None:
    """A comparison period's value: nothing recorded is zero, but a share is then unknown."""
    if raw is not None:
        return raw.value
    return None if kind is FigureKind.PERCENT else zero


# --- the figure set -----------------------------------------------------------------------------


def build_figures(
    *,
    area_code: str,
    period_key: str,
    actor: Any,
    rule: str | None = None,
    area: AdministrativeArea | None = None,
    period: Period | None = None,
) -> FigureSet:
    """Every figure of the area and period within `actor`'s visibility (`OPERATOR`: all), each
    with the previous period and the same period last year, and the facts of the limitations."""
    area = area or resolve_area(area_code)
    period = period or Period.parse(period_key)
    chosen = str(rule or active_rule())
    now = _collect(actor=actor, area=area, window=period.window(chosen))
    before = _collect(actor=actor, area=area, window=period.previous.window(chosen))
    last = _collect(actor=actor, area=area, window=period.same_period_last_year.window(chosen))
    start, end = period.window(chosen)
    result = FigureSet(area=area, period=period, rule=chosen, start=start, end=end)
    keys = list(now.raw)
    for other in (last.raw, before.raw):
        keys += [k for k in other if k not in now.raw and k not in keys]
    for key in keys:
        current = now.raw.get(key)
        template = current or last.raw.get(key) or before.raw[key]
        previous = before.raw.get(key)
        earlier = last.raw.get(key)
        zero: Number = Decimal(0) if isinstance(template.value, Decimal) else 0
        if template.kind is FigureKind.PERCENT and current is None:
            continue  # a share with nothing to measure this period is no figure
        result.figures[key] = Figure(
            key=key,
            label=template.label,
            value=current.value if current is not None else zero,
            kind=template.kind,
            unit=template.unit,
            previous=_other(previous, template.kind, zero),
            last_year=_other(earlier, template.kind, zero),
            provenance=current.provenance if current is not None else [],
        )
    result.overdue = sorted(
        now.overdue.values(), key=lambda o: (-(o.acknowledgements + o.verifications), o.unit)
    )
    report = indicator_selectors.completeness(actor=actor, period=period, area=area)
    result.submissions_expected = report.total.expected
    result.late_submissions = [
        LateSubmission(
            unit=row.unit.name, form=row.form.name, deadline=row.deadline, missing=row.missing
        )
        for row in report.late_or_missing
        if row.late or row.overdue
    ]
    return result
