from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "workflows.payments"
    label = "payments"
    verbose_name = "资金发放"

    def ready(self):
        from workflows.policy.holiday_import import holidays_loaded

        from .services import on_holidays_loaded

        # The cycles' M10 deadlines were counted on a provisional year: count them again.
        holidays_loaded.connect(on_holidays_loaded, dispatch_uid="payments-recount-cycle-deadlines")
