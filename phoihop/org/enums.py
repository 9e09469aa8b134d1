from django.db import models
from django.utils.translation import gettext_lazy as _


class RoleCode(models.TextChoices):
    OFFICER = "officer", _("Cán bộ")
    COMMANDER = "commander", _("Chỉ huy")
    JOINT_STAFF = "joint_staff", _("Tham mưu tổng hợp")
    ADMINISTRATOR = "administrator", _("Quản trị viên")


class AreaLevel(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện (trước 01/7/2025)")
    COMMUNE = "commune", _("Cấp xã")


class AreaKind(models.TextChoices):
    TINH = "tinh", _("Tỉnh")
    THANH_PHO_TW = "thanh_pho_tw", _("Thành phố trực thuộc trung ương")
    XA = "xa", _("Xã")
    PHUONG = "phuong", _("Phường")
    DAC_KHU = "dac_khu", _("Đặc khu")
    # Before 1/7/2025 only.
    HUYEN = "huyen", _("Huyện")
    QUAN = "quan", _("Quận")
    THI_XA = "thi_xa", _("Thị xã")
    THANH_PHO = "thanh_pho", _("Thành phố thuộc tỉnh")
    THI_TRAN = "thi_tran", _("Thị trấn")
