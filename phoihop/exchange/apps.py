from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "phoihop.exchange"
    label = "exchange"
    verbose_name = "Trao đổi thông tin"
