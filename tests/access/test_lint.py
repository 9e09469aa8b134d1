from pathlib import Path

from phoihop.access.lint import scoped_model_names, violations_in_source, violations_in_tree

ROOT = Path(__file__).resolve().parents[2]


def test_no_view_api_export_or_report_reads_a_scoped_model_directly():
    names = scoped_model_names()
    assert "Memo" in names  # the rule knows the scoped models, including the test kind
    found = violations_in_tree(
        [ROOT / "phoihop", ROOT / "tests" / "scopedapp"], scoped_models=names
    )
    assert found == [], "\n".join(map(str, found))


def test_the_lint_catches_a_direct_read():
    source = (
        "from x import Memo\n"
        "def memo_list(request):\n"
        "    return Memo.objects.filter(owner_unit=request.user.unit)\n"
        "def other(request):\n"
        "    return models.Memo.all_objects.all()\n"
        "def fine(request):\n"
        "    return Unit.objects.all()\n"
    )
    found = list(violations_in_source(source, scoped_models=["Memo"]))
    assert [(v.line, v.model, v.manager) for v in found] == [
        (3, "Memo", "objects"),
        (5, "Memo", "all_objects"),
    ]
