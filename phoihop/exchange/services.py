"""Writes of the information exchange: every one atomic, validated, audited.

Back-entry (rules in `phoihop.core.backentry`): an item may be entered with its real dates —
sent, delivered to its recipients, acknowledged by them — and a verification request with the
time it was requested and answered. Each real date is refused in the future or before 2019 and
out of order (delivered before sent, acknowledged before delivered, requested before the item was
sent, answered before requested), naming the field. Due times follow the real dates (the
acknowledgement is due the urgency's hours after delivery), so an item acknowledged in the past
is not overdue now, and the creation's audit entry carries the real dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.access.models import Distribution
from phoihop.access.policy import check_classification
from phoihop.access.rules import author_unit, get_visible, member_unit
from phoihop.audit.models import AuditAction
from phoihop.audit.services import audit_record
from phoihop.core.backentry import back_entry_note, check_order, check_record_date
from phoihop.core.errors import PermissionDenied
from phoihop.core.errors import invalid as _invalid
from phoihop.core.errors import validate as _full_clean
from phoihop.core.numbering import next_number, numbering_year
from phoihop.core.text import clean_text
from phoihop.exchange.enums import Handling, Urgency, VerificationResult, VerificationStatus
from phoihop.exchange.models import (
    InformationItem,
    Receipt,
    Reply,
    VerificationRequest,
    VerificationTransition,
)
from phoihop.org.models import AdministrativeArea, Unit, User
from phoihop.org.refs import check_place


def ack_due(urgency: int, start: dt.datetime) -> dt.datetime:
    return start + dt.timedelta(hours=settings.PHOIHOP_ACK_DUE_HOURS[int(urgency)])


def verify_due(urgency: int, start: dt.datetime) -> dt.datetime:
    return start + dt.timedelta(hours=settings.PHOIHOP_VERIFY_DUE_HOURS[int(urgency)])


def _active_units(units: Iterable[Unit]) -> list[Unit]:
    return [u for u in units if u.deleted_at is None and u.valid_until is None]


def expand_recipients(
    *, sender: Unit, units: Iterable[Unit] = (), force_levels: Iterable[tuple[str, str]] = ()
) -> list[Unit]:
    """Named units plus whole forces at a level (e.g. every Đồn Biên phòng) in the province."""
    chosen: dict[int, Unit] = {}
    for unit in units:
        if unit.deleted_at is not None or unit.valid_until is not None:
            raise _invalid(
                "recipients",
                _("Đơn vị nhận %(unit)s đã kết thúc hoạt động.") % {"unit": unit.name},
                code="unknown_recipient",
            )
        chosen[unit.pk] = unit
    for force_code, level_code in force_levels:
        found = _active_units(
            Unit.objects.filter(
                force__code=force_code, level__code=level_code, province_id=sender.province_id
            )
        )
        if not found:
            raise _invalid(
                "recipients",
                _("Không có đơn vị nào của lực lượng %(force)s ở cấp %(level)s.")
                % {"force": force_code, "level": level_code},
                code="unknown_recipient",
            )
        chosen.update({u.pk: u for u in found})
    chosen.pop(sender.pk, None)
    return list(chosen.values())


def _distribute(
    item: InformationItem, unit: Unit, *, forwarded_by: Unit | None, at: dt.datetime | None = None
) -> Receipt:
    """A receipt delivered `at` (default now), its acknowledgement due by the item's urgency."""
    delivered = at or timezone.now()
    receipt = Receipt.objects.create(
        item=item,
        unit=unit,
        forwarded_by=forwarded_by,
        delivered_at=delivered,
        ack_due_at=ack_due(item.urgency, delivered),
    )
    Distribution.objects.get_or_create(
        content_type=ContentType.objects.get_for_model(InformationItem),
        object_id=item.pk,
        unit=unit,
        defaults={"forwarded_by": forwarded_by},
    )
    return receipt


@transaction.atomic
def info_item_create(
    *,
    actor: User,
    title: str,
    content: str,
    topic: str,
    urgency: int = Urgency.THUONG,
    classification: int = 0,
    reliability: str = "F",
    credibility: int = 6,
    handling: str = Handling.MAY_FORWARD,
    areas: Iterable[AdministrativeArea] = (),
    recipients: Iterable[Unit] = (),
    force_levels: Iterable[tuple[str, str]] = (),
    is_joint: bool = False,
    sent_at: dt.datetime | None = None,
    delivered_at: dt.datetime | None = None,
    acknowledged_at: dt.datetime | None = None,
) -> InformationItem:
    """Send an information item to its recipients; each gets a receipt with a due time.

    Back-entry: `sent_at`, `delivered_at` (default: sent) and `acknowledged_at` (every recipient
    acknowledged then; by whom is not known, the audit says who entered it) are real dates.
    """
    owner = author_unit(actor, message=_("Chỉ cán bộ, chỉ huy của đơn vị được gửi thông tin."))
    _check_item_dates(sent_at, delivered_at, acknowledged_at)
    moment = sent_at or timezone.now()
    check_place(
        province=owner.province,
        commune=None,
        on=timezone.localdate(moment),
        field="sent_at",
        without_commune=_(
            "Trước ngày %(day)s, %(province)s là địa bàn của %(old)s: thông tin trao đổi khi đó "
            "phải do đơn vị của tỉnh cũ gửi để được tính vào báo cáo của tỉnh đó."
        ),
    )
    check_classification(classification, actor=actor)
    units = expand_recipients(sender=owner, units=recipients, force_levels=force_levels)
    if not units:
        raise _invalid(
            "recipients", _("Phải chọn ít nhất một đơn vị nhận."), code="empty_distribution"
        )
    delivered = delivered_at or moment
    item = InformationItem(
        owner_unit=owner,
        province=owner.province,
        classification=classification,
        is_joint=is_joint,
        title=clean_text(title),
        content=content.strip(),
        topic=topic,
        urgency=urgency,
        reliability=reliability,
        credibility=credibility,
        handling=handling,
        sent_at=moment,
        sent_by=actor,
        year=numbering_year(moment),
        number=0,
    )
    _full_clean(item, exclude=["number"])
    item.number = next_number(InformationItem, owner=owner, year=item.year)
    item.save()
    item.areas.set(list(areas))
    for unit in units:
        receipt = _distribute(item, unit, forwarded_by=None, at=delivered)
        if acknowledged_at is not None:
            receipt.acknowledged_at = receipt.read_at = acknowledged_at
            receipt.save(update_fields=["acknowledged_at", "read_at"])
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=item,
        changes={
            "number": item.display_number,
            "recipients": [u.code for u in units],
            **back_entry_note(moment, delivered_at=delivered_at, acknowledged_at=acknowledged_at),
        },
    )
    return item


def _check_item_dates(
    sent_at: dt.datetime | None,
    delivered_at: dt.datetime | None,
    acknowledged_at: dt.datetime | None,
) -> None:
    check_record_date("sent_at", sent_at, label=_("Thời điểm gửi"))
    check_record_date("delivered_at", delivered_at, label=_("Thời điểm chuyển đến"))
    check_record_date("acknowledged_at", acknowledged_at, label=_("Thời điểm xác nhận"))
    sent = sent_at or timezone.now()
    check_order(
        ("sent_at", sent),
        ("delivered_at", delivered_at),
        _("Thời điểm chuyển đến không được trước thời điểm gửi."),
    )
    check_order(
        ("delivered_at", delivered_at or sent),
        ("acknowledged_at", acknowledged_at),
        _("Thời điểm xác nhận không được trước thời điểm chuyển đến."),
    )


def _receipt_of(actor: User, item: InformationItem) -> Receipt:
    unit = member_unit(actor)
    receipt = Receipt.objects.select_for_update().filter(item=item, unit=unit).first()
    if receipt is None:
        raise _invalid(
            "item",
            _("Đơn vị %(unit)s không phải đơn vị nhận thông tin này.") % {"unit": unit.name},
            code="not_a_recipient",
        )
    return receipt


@transaction.atomic
def info_item_mark_read(*, actor: User, item: InformationItem) -> Receipt | None:
    """The first person of a recipient unit to open the item is its reader; later opens change
    nothing. Opening by the sender's own tree is not a read."""
    unit = member_unit(actor)
    receipt = Receipt.objects.select_for_update().filter(item=item, unit=unit).first()
    if receipt is None or receipt.read_at is not None:
        return receipt
    receipt.read_at, receipt.read_by = timezone.now(), actor
    receipt.save(update_fields=["read_at", "read_by"])
    return receipt


@transaction.atomic
def info_item_acknowledge(
    *, actor: User, item: InformationItem, at: dt.datetime | None = None
) -> Receipt:
    """`at` records an acknowledgement made earlier (loading history, e.g. the demo)."""
    receipt = _receipt_of(actor, item)
    if receipt.acknowledged_at is not None:
        raise _invalid(
            "item",
            _("Đơn vị đã xác nhận thông tin này lúc %(at)s.")
            % {"at": timezone.localtime(receipt.acknowledged_at).strftime("%H:%M %d/%m/%Y")},
            code="already_acknowledged",
        )
    check_record_date("acknowledged_at", at, label=_("Thời điểm xác nhận"))
    check_order(
        ("delivered_at", receipt.delivered_at),
        ("acknowledged_at", at),
        _("Thời điểm xác nhận không được trước thời điểm chuyển đến."),
    )
    now = at or timezone.now()
    receipt.acknowledged_at, receipt.acknowledged_by = now, actor
    if receipt.read_at is None:
        receipt.read_at, receipt.read_by = now, actor
    receipt.save(update_fields=["acknowledged_at", "acknowledged_by", "read_at", "read_by"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=item,
        changes={"acknowledged_by_unit": receipt.unit.code},
    )
    return receipt


@transaction.atomic
def info_item_forward(
    *, actor: User, item: InformationItem, units: Iterable[Unit]
) -> list[Receipt]:
    """A recipient passes the item down to its own subordinate units, if the handling allows."""
    sender = member_unit(actor)
    receipt = _receipt_of(actor, item)
    if item.handling != Handling.MAY_FORWARD:
        raise _invalid(
            "handling",
            _("Thông tin có chế độ xử lý “%(handling)s”: không được chuyển tiếp.")
            % {"handling": Handling(item.handling).label},
            code="forward_not_allowed",
        )
    targets = list(units)
    if not targets:
        raise _invalid("units", _("Phải chọn đơn vị cấp dưới để chuyển tiếp."))
    for unit in targets:
        if unit.pk == sender.pk or not unit.path.startswith(sender.path):
            raise _invalid(
                "units",
                _("%(unit)s không phải đơn vị cấp dưới của %(sender)s.")
                % {"unit": unit.name, "sender": sender.name},
            )
        if Receipt.objects.filter(item=item, unit=unit).exists():
            raise _invalid(
                "units",
                _("%(unit)s đã nhận thông tin này.") % {"unit": unit.name},
                code="already_recipient",
            )
    created = [_distribute(item, unit, forwarded_by=receipt.unit) for unit in targets]
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=item,
        changes={"forwarded_by": sender.code, "to": [u.code for u in targets]},
    )
    return created


@transaction.atomic
def info_item_reply(
    *, actor: User, item: InformationItem, body: str, at: dt.datetime | None = None
) -> Reply:
    unit = member_unit(actor)
    # Replies belong to the exchange: the sender's tree and the recipients, not onlookers.
    visible_item = get_visible(InformationItem, actor, pk=item.pk)
    is_party = (
        unit.path.startswith(visible_item.owner_unit.path)
        or visible_item.owner_unit.path.startswith(unit.path)
        or Receipt.objects.filter(item=item, unit=unit).exists()
    )
    if not is_party:
        raise PermissionDenied(_("Chỉ đơn vị gửi và đơn vị nhận được trả lời thông tin này."))
    reply = Reply(item=item, unit=unit, author=actor, body=body.strip())
    if at is not None:
        reply.created_at = at
    _full_clean(reply)
    reply.save()
    audit_record(
        actor=actor, action=AuditAction.CREATE, obj=reply, changes={"item": str(item.public_id)}
    )
    return reply


# --- verification -----------------------------------------------------------------------------

# Who may move a request from one status to another: the assigned (verifying) unit or the
# requesting unit. Anything not listed is refused.
TRANSITIONS: dict[tuple[str, str], str] = {
    (VerificationStatus.OPEN, VerificationStatus.IN_PROGRESS): "assigned",
    (VerificationStatus.OPEN, VerificationStatus.ANSWERED): "assigned",
    (VerificationStatus.IN_PROGRESS, VerificationStatus.ANSWERED): "assigned",
    (VerificationStatus.ANSWERED, VerificationStatus.CLOSED): "requesting",
    (VerificationStatus.ANSWERED, VerificationStatus.IN_PROGRESS): "requesting",
}


@transaction.atomic
def verification_request_create(
    *,
    actor: User,
    item: InformationItem,
    assigned_unit: Unit,
    question: str,
    due_at: dt.datetime | None = None,
    at: dt.datetime | None = None,
    answered_at: dt.datetime | None = None,
    result: str = "",
    findings: str = "",
) -> VerificationRequest:
    """Ask a unit to verify an item. Back-entry: `at` is when it was asked, and `answered_at`
    with `result` and `findings` records the answer the assigned unit gave then (the request
    is answered at once; the audit says who entered it)."""
    unit = author_unit(
        actor, message=_("Chỉ cán bộ, chỉ huy của đơn vị được yêu cầu kiểm tra, xác minh.")
    )
    _check_verification_dates(item, at, answered_at, result=result, findings=findings)
    now = at or timezone.now()
    due = due_at or verify_due(item.urgency, now)
    if due <= now:
        raise _invalid("due_at", _("Hạn trả lời phải ở tương lai."), code="due_in_past")
    if assigned_unit.deleted_at is not None or assigned_unit.valid_until is not None:
        raise _invalid("assigned_unit", _("Đơn vị xác minh đã kết thúc hoạt động."))
    if assigned_unit.pk == unit.pk:
        raise _invalid("assigned_unit", _("Không tự giao xác minh cho chính đơn vị mình."))
    verification = VerificationRequest(
        item=item,
        requesting_unit=unit,
        assigned_unit=assigned_unit,
        question=question.strip(),
        due_at=due,
        requested_by=actor,
        created_at=now,
    )
    _full_clean(verification)
    verification.save()
    # The verifying unit must be able to read what it verifies.
    if not Receipt.objects.filter(item=item, unit=assigned_unit).exists():
        _distribute(item, assigned_unit, forwarded_by=unit, at=now)
    VerificationTransition.objects.create(
        verification=verification,
        from_status="",
        to_status=verification.status,
        actor=actor,
        at=now,
    )
    if answered_at is not None:
        _answered_earlier(verification, actor, answered_at, result=result, findings=findings)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=verification,
        changes={
            "item": str(item.public_id),
            "assigned_unit": assigned_unit.code,
            **({"result": result} if answered_at is not None else {}),
            **back_entry_note(now, answered_at=answered_at),
        },
    )
    return verification


def _check_verification_dates(
    item: InformationItem,
    requested_at: dt.datetime | None,
    answered_at: dt.datetime | None,
    *,
    result: str,
    findings: str,
) -> None:
    check_record_date("requested_at", requested_at, label=_("Thời điểm yêu cầu xác minh"))
    check_record_date("answered_at", answered_at, label=_("Thời điểm trả lời xác minh"))
    check_order(
        ("sent_at", item.sent_at),
        ("requested_at", requested_at),
        _("Thời điểm yêu cầu xác minh không được trước thời điểm gửi thông tin."),
    )
    check_order(
        ("requested_at", requested_at or timezone.now()),
        ("answered_at", answered_at),
        _("Thời điểm trả lời không được trước thời điểm yêu cầu xác minh."),
    )
    if answered_at is None and (result or findings.strip()):
        raise _invalid("answered_at", _("Phải nhập thời điểm trả lời xác minh."), code="required")
    if answered_at is not None and result not in VerificationResult.values:
        raise _invalid("result", _("Phải chọn kết quả xác minh."), code="required")
    if answered_at is not None and not findings.strip():
        raise _invalid("findings", _("Phải ghi kết quả xác minh cụ thể."), code="required")


def _answered_earlier(
    verification: VerificationRequest,
    actor: User,
    answered_at: dt.datetime,
    *,
    result: str,
    findings: str,
) -> None:
    """A back-entered answer: the request moves to answered at its real time, logged."""
    VerificationTransition.objects.create(
        verification=verification,
        from_status=verification.status,
        to_status=VerificationStatus.ANSWERED,
        actor=actor,
        note=findings.strip(),
        at=answered_at,
    )
    verification.status = VerificationStatus.ANSWERED
    verification.result, verification.findings = result, findings.strip()
    verification.answered_at = answered_at
    verification.save(update_fields=["status", "result", "findings", "answered_at", "updated_at"])


def _transition(
    *,
    actor: User,
    verification: VerificationRequest,
    to: str,
    note: str = "",
    at: dt.datetime | None = None,
    audit: dict[str, Any] | None = None,
    **fields: Any,
) -> VerificationRequest:
    """Move a request to `to` if the map allows it and the actor's unit is the side that may,
    setting `fields` with it; logged in the transitions and the audit (`audit`: more to say)."""
    unit = member_unit(actor)
    verification = VerificationRequest.objects.select_for_update().get(pk=verification.pk)
    side = TRANSITIONS.get((verification.status, to))
    if side is None:
        raise _invalid(
            "status",
            _("Không thể chuyển yêu cầu xác minh từ “%(old)s” sang “%(new)s”.")
            % {
                "old": VerificationStatus(verification.status).label,
                "new": VerificationStatus(to).label,
            },
            code="invalid_transition",
        )
    expected = verification.assigned_unit if side == "assigned" else verification.requesting_unit
    if expected.pk != unit.pk:
        raise _invalid(
            "assigned_unit" if side == "assigned" else "requesting_unit",
            _("Yêu cầu này do %(unit)s xử lý, không phải đơn vị của bạn.")
            % {"unit": expected.name},
            code="not_your_verification",
        )
    VerificationTransition.objects.create(
        verification=verification,
        from_status=verification.status,
        to_status=to,
        actor=actor,
        note=note,
        at=at or timezone.now(),
    )
    verification.status = to
    verification.version += 1
    for name, value in fields.items():
        setattr(verification, name, value)
    verification.save(update_fields=["status", "version", "updated_at", *fields])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=verification,
        changes={"status": to, **(audit or {})},
    )
    return verification


@transaction.atomic
def verification_start(
    *, actor: User, verification: VerificationRequest, at: dt.datetime | None = None
) -> VerificationRequest:
    return _transition(
        actor=actor, verification=verification, to=VerificationStatus.IN_PROGRESS, at=at
    )


@transaction.atomic
def verification_answer(
    *,
    actor: User,
    verification: VerificationRequest,
    result: str,
    findings: str,
    at: dt.datetime | None = None,
) -> VerificationRequest:
    if result not in VerificationResult.values:
        raise _invalid("result", _("Phải chọn kết quả xác minh."))
    if not findings.strip():
        raise _invalid("findings", _("Phải ghi kết quả xác minh cụ thể."))
    check_record_date("answered_at", at, label=_("Thời điểm trả lời xác minh"))
    check_order(
        ("requested_at", verification.created_at),
        ("answered_at", at),
        _("Thời điểm trả lời không được trước thời điểm yêu cầu xác minh."),
    )
    return _transition(
        actor=actor,
        verification=verification,
        to=VerificationStatus.ANSWERED,
        note=findings,
        at=at,
        audit={"result": result},
        result=result,
        findings=findings.strip(),
        answered_at=at or timezone.now(),
        answered_by=actor,
    )


@transaction.atomic
def verification_close(
    *, actor: User, verification: VerificationRequest, note: str = "", at: dt.datetime | None = None
) -> VerificationRequest:
    return _transition(
        actor=actor, verification=verification, to=VerificationStatus.CLOSED, note=note, at=at
    )


@transaction.atomic
def verification_return(
    *, actor: User, verification: VerificationRequest, note: str
) -> VerificationRequest:
    """The requesting unit sends an answer back for more checking."""
    if not note.strip():
        raise _invalid("note", _("Phải ghi lý do yêu cầu xác minh thêm."))
    return _transition(
        actor=actor,
        verification=verification,
        to=VerificationStatus.IN_PROGRESS,
        note=note,
        audit={"note": note},
    )
