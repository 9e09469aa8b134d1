import datetime as dt

import pytest

from phoihop.core.errors import DomainError
from phoihop.org.models import Unit, UnitParentage
from phoihop.org.services import area_by_code, unit_move, user_create


def test_world_builds_a_tree_with_paths(world):
    pc04 = world.u("ca_pc04")
    assert pc04.is_within(world.u("ca_province"))
    assert not pc04.is_within(world.u("qs_province"))
    assert pc04.ancestor_ids() == [world.u("ca_province").pk, pc04.pk]


def test_moving_a_unit_keeps_its_earlier_placement_and_reroots_the_subtree(world):
    bp, qs, post = world.u("bp_province"), world.u("qs_province"), world.u("bp_post_a")
    unit_move(
        actor=None,
        unit=bp,
        new_parent=qs,
        effective=dt.date(2025, 7, 1),
        reason="Sắp xếp BĐBP tỉnh trực thuộc Bộ CHQS tỉnh",
    )
    post.refresh_from_db()
    assert post.is_within(qs)
    placements = list(UnitParentage.objects.filter(unit=bp).values_list("parent", "valid_until"))
    assert placements == [(None, dt.date(2025, 6, 30)), (qs.pk, None)]


def test_a_unit_cannot_be_placed_under_its_own_subtree(world):
    cat, pc04 = world.u("ca_province"), world.u("ca_pc04")
    before = Unit.objects.get(pk=cat.pk).path
    with pytest.raises(DomainError) as err:
        unit_move(
            actor=None, unit=cat, new_parent=pc04, effective=dt.date(2026, 1, 1), reason="thử"
        )
    assert "parent" in err.value.fields
    assert Unit.objects.get(pk=cat.pk).path == before
    assert UnitParentage.objects.filter(unit=cat).count() == 1


def test_unknown_area_code_names_the_field(world):
    with pytest.raises(DomainError) as err:
        area_by_code("99999")
    assert err.value.code == "unknown_area"
    assert "area" in err.value.fields


def test_a_user_without_a_unit_is_refused_and_not_saved(world):
    from phoihop.org.models import User

    with pytest.raises(DomainError) as err:
        user_create(actor=None, username="khongdonvi", password="Mat-khau-rat-dai-2026", unit=None)
    assert "unit" in err.value.fields
    assert not User.objects.filter(username="khongdonvi").exists()


def test_closing_a_unit_ends_its_placement_and_is_audited(world):
    from phoihop.audit.models import AuditEntry
    from phoihop.org.services import unit_close

    post = world.u("ca_commune_b")
    unit_close(
        actor=None, unit=post, until=dt.date(2025, 2, 28), reason="Kết thúc công an cấp huyện"
    )
    post.refresh_from_db()
    assert post.valid_until == dt.date(2025, 2, 28)
    assert not post.parentages.filter(valid_until__isnull=True).exists()
    assert AuditEntry.objects.filter(object_id=str(post.public_id), action="update").exists()


def test_closing_without_a_reason_is_refused_and_changes_nothing(world):
    from phoihop.org.services import unit_close

    post = world.u("ca_commune_b")
    with pytest.raises(DomainError) as err:
        unit_close(actor=None, unit=post, until=dt.date(2025, 2, 28), reason="  ")
    assert "reason" in err.value.fields
    post.refresh_from_db()
    assert post.valid_until is None


def test_unit_update_refuses_tree_fields_and_stale_versions(world):
    from phoihop.org.services import unit_update

    pc04 = world.u("ca_pc04")
    with pytest.raises(DomainError) as err:
        unit_update(actor=None, unit=pc04, version=pc04.version, parent=world.u("qs_province"))
    assert "parent" in err.value.fields
    unit_update(actor=None, unit=pc04, version=pc04.version, name="Phòng PC04")
    stale = Unit.objects.get(pk=pc04.pk)
    stale.version = 1
    with pytest.raises(DomainError) as err:
        unit_update(actor=None, unit=stale, version=1, name="Tên khác")
    assert err.value.code == "stale_version"
    assert Unit.objects.get(pk=pc04.pk).name == "Phòng PC04"
