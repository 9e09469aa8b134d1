"""Login and second-factor forms, in Vietnamese."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UsernameField
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """Django's AuthenticationForm (it passes `request` to authenticate, as django-axes needs)."""

    username = UsernameField(
        label=_("Tên đăng nhập"),
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "username", "class": "form-control"}
        ),
    )
    password = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(
            attrs={"autocomplete": "current-password", "class": "form-control"}
        ),
    )

    error_messages = {
        "invalid_login": _(
            "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: mật khẩu phân biệt chữ hoa, chữ thường."
        ),
        "inactive": _("Tài khoản này đã bị vô hiệu hóa. Hãy liên hệ quản trị viên."),
    }


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Mã xác thực"),
        help_text=_("Mã gồm 6 chữ số đang hiện trên ứng dụng xác thực của bạn."),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9 ]*",
                "class": "form-control",
            }
        ),
        error_messages={"required": _("Hãy nhập mã xác thực.")},
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].replace(" ", "")
        if not token.isdigit() or len(token) not in (6, 8):
            raise forms.ValidationError(_("Mã xác thực gồm 6 chữ số."), code="invalid")
        return token
