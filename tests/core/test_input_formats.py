import datetime as dt

from django import forms
from django.test import RequestFactory
from django.utils import translation

from phoihop.core.middleware import client_ip


class DayForm(forms.Form):
    day = forms.DateField()


def test_a_vietnamese_date_is_day_first():
    with translation.override("vi"):
        form = DayForm(data={"day": "01/07/2025"})
        assert form.is_valid()
        assert form.cleaned_data["day"] == dt.date(2025, 7, 1)


def test_forwarded_for_is_ignored_without_a_trusted_proxy(settings):
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="1.2.3.4", REMOTE_ADDR="10.0.0.5")
    settings.PHOIHOP_TRUSTED_PROXIES = []
    assert client_ip(request) == "10.0.0.5"
    settings.PHOIHOP_TRUSTED_PROXIES = ["10.0.0.5"]
    assert client_ip(request) == "1.2.3.4"
