"""The report and the dashboard read the domain apps through the registry of figures and the
apps' selectors: no module of theirs imports another domain app's models."""

from pathlib import Path

from phoihop.core.layers import DOMAIN_APPS, violations_in_source, violations_in_tree

ROOT = Path(__file__).resolve().parents[2]


def test_reports_and_dashboards_import_no_other_apps_models() -> None:
    found = violations_in_tree(ROOT / "phoihop")
    assert found == [], "\n".join(map(str, found))


def test_the_lint_catches_every_way_of_reaching_a_model() -> None:
    source = (
        "from phoihop.cases.models import Case\n"
        "from phoihop.exchange import models\n"
        "import phoihop.operations.models as ops\n"
        "from ..mobilisation.models import Forum\n"
        "Indicator = apps.get_model('indicators', 'Indicator')\n"
        "from phoihop.cases import selectors\n"
        "from phoihop.cases.enums import CaseCategory\n"
        "from phoihop.org.models import Force\n"
        "from .models import Task\n"
    )
    found = list(violations_in_source(source, apps=DOMAIN_APPS, package="phoihop.reports"))
    assert [(v.line, v.module) for v in found] == [
        (1, "phoihop.cases.models"),
        (2, "phoihop.exchange.models"),
        (3, "phoihop.operations.models"),
        (4, "phoihop.mobilisation.models"),
        (5, "phoihop.indicators.models"),
    ]
    # The dashboard may not read the report's models either.
    dashboard = list(
        violations_in_source(
            "from phoihop.reports.models import Task\n",
            apps=(*DOMAIN_APPS, "reports"),
            package="phoihop.dashboards",
        )
    )
    assert [v.module for v in dashboard] == ["phoihop.reports.models"]
