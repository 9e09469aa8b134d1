"""Synthetic volumes across every module, for benchmarks (`phoihop synth`): `generator` makes
the records, `places` the provinces' units and officers, `writer` the bulk inserts.

Never production data: everything here refuses to run unless PHOIHOP_MODE is `demo` or `test`.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from config.development import DEVELOPMENT_MODES
from phoihop.core.errors import DomainError


class SynthRefused(DomainError):
    """The synthetic data would land in a database that may hold real records."""


def check_mode() -> None:
    mode = str(getattr(settings, "MODE", "production"))
    if mode not in DEVELOPMENT_MODES:
        raise SynthRefused(
            _(
                "Dữ liệu tổng hợp chỉ được tạo khi PHOIHOP_MODE là demo hoặc test (hiện là "
                "“%(mode)s”)."
            )
            % {"mode": mode},
            code="not_allowed_in_production",
            fields={"mode": [mode]},
        )
