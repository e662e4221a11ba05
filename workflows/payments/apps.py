from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "workflows.payments"
    label = "payments"
    verbose_name = "资金发放"

    def ready(self):
        from workflows.policy.holiday_import import holidays_loaded

        from .bankfile import results_imported
        from .services import on_holidays_loaded
        from .tasks import on_results_imported

        # The cycles' M10 deadlines were counted on a provisional year: count them again.
        holidays_loaded.connect(on_holidays_loaded, dispatch_uid="payments-recount-cycle-deadlines")
        results_imported.connect(on_results_imported, dispatch_uid="payments-open-account-fixes")
