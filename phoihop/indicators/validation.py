"""Validation of a submission's values: hard rules block submission, soft rules ask for a reason.

Hard rules: a value is a number, not negative, whole for counts, within the stored precision;
every required entered indicator has a value; the consistency rules between two indicators hold
(e.g. subjects dealt with ≥ wanted persons arrested).

Soft rules, against the same unit's previous period (the submission of the period before, once
sent): a value more than `rise_factor` times the previous one, or more than `drop_share` below
it, needs a written explanation before the submission may be sent. They apply to entered values
only: a derived value is a fact of the records, not a typing slip. A previous value of 0 gives no
warning (there is no ratio to speak of).

Every message names the indicator.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from phoihop.core import formats
from phoihop.core.errors import DomainError
from phoihop.indicators.enums import RECEIVED_STATUSES, Comparison
from phoihop.indicators.models import (
    VALUE_DIGITS,
    VALUE_PLACES,
    ConsistencyRule,
    Indicator,
    ReportFormLine,
    Submission,
    SubmissionValue,
)

_MAX = Decimal(10) ** (VALUE_DIGITS - VALUE_PLACES)


def value_field(code: str) -> str:
    return f"values.{code}"


def explanation_field(code: str) -> str:
    return f"explanations.{code}"


def shown(value: Decimal | None) -> str:
    return "" if value is None else formats.number(value, max_decimals=VALUE_PLACES)


def _refuse(indicator: Indicator, message: str, code: str) -> DomainError:
    return DomainError(message, code=code, fields={value_field(indicator.code): [message]})


def parse_value(raw: Any, *, indicator: Indicator, localized: bool = False) -> Decimal | None:
    """A value as typed (page, import: `1.508`, `11,09`) or sent (API: `1508`, `11.09`).

    Blank is None (not reported yet). Refusals name the indicator.
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        number = Decimal("NaN")
    elif isinstance(raw, Decimal):
        number = raw
    elif isinstance(raw, int):
        number = Decimal(raw)
    elif isinstance(raw, float):
        number = Decimal(repr(raw))
    else:
        text = str(raw).strip().replace(" ", "").replace("\u00a0", "")
        if localized:
            if "," in text:
                text = text.replace(".", "").replace(",", ".")
            elif text.count(".") >= 1 and all(len(part) == 3 for part in text.split(".")[1:]):
                # `1.508` is one thousand five hundred and eight the Vietnamese way.
                text = text.replace(".", "")
        try:
            number = Decimal(text)
        except (InvalidOperation, ValueError):
            number = Decimal("NaN")
    name = indicator.name
    if not number.is_finite():
        raise _refuse(
            indicator,
            _("Chỉ tiêu “%(name)s”: “%(raw)s” không phải là một số.") % {"name": name, "raw": raw},
            "invalid_value",
        )
    check_value(number, indicator=indicator)
    return number


def check_value(number: Decimal, *, indicator: Indicator) -> None:
    """The hard rules of one value on its own."""
    name = indicator.name
    if number < 0:
        raise _refuse(
            indicator,
            _("Chỉ tiêu “%(name)s” không được âm (đã nhập %(value)s).")
            % {"name": name, "value": formats.number(number, max_decimals=VALUE_PLACES)},
            "negative_value",
        )
    if indicator.is_count and number != number.to_integral_value():
        raise _refuse(
            indicator,
            _("Chỉ tiêu “%(name)s” là số đếm: phải là số nguyên (đã nhập %(value)s).")
            % {"name": name, "value": formats.number(number, max_decimals=VALUE_PLACES)},
            "not_whole",
        )
    exponent = number.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -VALUE_PLACES:
        raise _refuse(
            indicator,
            _("Chỉ tiêu “%(name)s”: tối đa %(places)s chữ số sau dấu phẩy.")
            % {"name": name, "places": VALUE_PLACES},
            "too_precise",
        )
    if number >= _MAX:
        raise _refuse(
            indicator, _("Chỉ tiêu “%(name)s”: giá trị quá lớn.") % {"name": name}, "too_large"
        )


# --- the whole submission ---------------------------------------------------------------------


@dataclass(frozen=True)
class SoftWarning:
    indicator: Indicator
    value: Decimal
    previous: Decimal
    previous_period: str
    rise: bool  # True: rose above the factor; False: fell below the share
    message: str
    explained: bool


@dataclass
class CheckResult:
    """`errors` by field (`values.<code>`, `__all__`); `warnings` by indicator code."""

    errors: dict[str, list[str]] = field(default_factory=dict)
    warnings: dict[str, SoftWarning] = field(default_factory=dict)

    def add(self, field_name: str, message: str) -> None:
        self.errors.setdefault(field_name, []).append(message)

    @property
    def unexplained(self) -> list[SoftWarning]:
        return [w for w in self.warnings.values() if not w.explained]

    @property
    def ok(self) -> bool:
        return not self.errors and not self.unexplained

    def as_error(self) -> DomainError:
        fields = {k: list(v) for k, v in self.errors.items()}
        for warning in self.unexplained:
            fields.setdefault(explanation_field(warning.indicator.code), []).append(warning.message)
        messages = [m for msgs in fields.values() for m in msgs]
        if self.errors:
            summary = _("Báo cáo chưa gửi được: %(count)s lỗi số liệu. %(first)s")
            code = "validation_failed"
        else:
            summary = _(
                "Báo cáo chưa gửi được: %(count)s số liệu biến động cần giải trình. %(first)s"
            )
            code = "explanation_required"
        return DomainError(
            summary % {"count": len(messages), "first": messages[0] if messages else ""},
            code=code,
            fields=fields,
        )


def form_lines(submission: Submission) -> list[ReportFormLine]:
    return list(
        ReportFormLine.objects.filter(form_id=submission.form_id)
        .select_related("indicator")
        .order_by("order", "id")
    )


def previous_submission(submission: Submission) -> Submission | None:
    """The same unit's sent submission of the form for the period before (none if unsent)."""
    previous_key = submission.period.previous.key
    # Services and selectors read the unit's own history here; callers decide who sees it.
    return (
        Submission.objects.filter(
            form_id=submission.form_id,
            owner_unit_id=submission.owner_unit_id,
            period_key=previous_key,
        )
        .filter(Q(status__in=RECEIVED_STATUSES) | Q(first_submitted_at__isnull=False))
        .first()
    )


def stored_values(submission: Submission | None) -> dict[int, SubmissionValue]:
    """The values stored in a submission, by indicator id (none without a submission)."""
    if submission is None:
        return {}
    return {v.indicator_id: v for v in SubmissionValue.objects.filter(submission=submission)}


def line_value(
    indicator: Indicator,
    row: SubmissionValue | None,
    derived: Mapping[str, Decimal | None] | None,
) -> Decimal | None:
    """The value a submission holds for an indicator: a derived one as computed now when
    `derived` is given (the submission is still with its unit), else the stored value."""
    if indicator.is_derived and derived is not None:
        return derived.get(indicator.code)
    return row.value if row is not None else None


def _rules(submission: Submission, indicator_ids: Iterable[int]) -> list[ConsistencyRule]:
    ids = set(indicator_ids)
    return [
        rule
        for rule in ConsistencyRule.objects.filter(is_active=True)
        .filter(Q(form__isnull=True) | Q(form_id=submission.form_id))
        .select_related("left", "right")
        if rule.left_id in ids and rule.right_id in ids
    ]


def check_submission(
    submission: Submission,
    *,
    derived: Mapping[str, Decimal | None] | None = None,
    lines: list[ReportFormLine] | None = None,
) -> CheckResult:
    """Every rule over the stored values (derived ones from `derived` when given)."""
    result = CheckResult()
    lines = lines if lines is not None else form_lines(submission)
    stored = stored_values(submission)
    previous = previous_submission(submission)
    before = stored_values(previous)
    form = submission.form
    values: dict[int, Decimal | None] = {}
    for line in lines:
        indicator = line.indicator
        row = stored.get(indicator.pk)
        value = line_value(indicator, row, derived)
        values[indicator.pk] = value
        if indicator.is_derived:
            continue
        if value is None:
            if line.required:
                result.add(
                    value_field(indicator.code),
                    _("Chỉ tiêu “%(name)s” chưa có số liệu (nhập 0 nếu không có).")
                    % {"name": indicator.name},
                )
            continue
        try:
            check_value(value, indicator=indicator)
        except DomainError as exc:
            result.add(value_field(indicator.code), exc.message)
            continue
        prior_row = before.get(indicator.pk)
        prior = prior_row.value if prior_row is not None else None
        if previous is None or prior is None or prior <= 0:
            continue
        rise = line.rise_factor or form.rise_factor
        drop = line.drop_share or form.drop_share
        facts = {
            "name": indicator.name,
            "value": shown(value),
            "previous": shown(prior),
            "period": previous.period.label,
            "unit": indicator.unit,
        }
        message = ""
        rose = value > prior * rise
        if rose:
            facts["factor"] = formats.number(rise, max_decimals=2)
            message = (
                _(
                    "Chỉ tiêu “%(name)s” là %(value)s %(unit)s, gấp hơn %(factor)s lần %(period)s "
                    "(%(previous)s): cần giải trình."
                )
                % facts
            )
        elif value < prior * (1 - drop):
            facts["share"] = formats.percent(drop, decimals=0)
            message = (
                _(
                    "Chỉ tiêu “%(name)s” là %(value)s %(unit)s, giảm hơn %(share)s so với "
                    "%(period)s (%(previous)s): cần giải trình."
                )
                % facts
            )
        if message:
            explained = bool(row is not None and row.explanation.strip())
            result.warnings[indicator.code] = SoftWarning(
                indicator=indicator,
                value=value,
                previous=prior,
                previous_period=previous.period_key,
                rise=rose,
                message=message,
                explained=explained,
            )
    for rule in _rules(submission, values):
        left, right = values.get(rule.left_id), values.get(rule.right_id)
        if left is None or right is None or rule.holds(left, right):
            continue
        result.add(
            value_field(rule.left.code),
            _("Số liệu không khớp: “%(left)s” (%(lv)s) phải %(op)s “%(right)s” (%(rv)s).")
            % {
                "left": rule.left.name,
                "lv": shown(left),
                "op": {
                    Comparison.GTE: _("lớn hơn hoặc bằng"),
                    Comparison.LTE: _("nhỏ hơn hoặc bằng"),
                    Comparison.EQ: _("bằng"),
                }[Comparison(rule.comparison)],
                "right": rule.right.name,
                "rv": shown(right),
            },
        )
    return result
