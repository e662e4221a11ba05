from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo: the cases seed_demo leaves for every role, and the demo clock (演示时钟).

    The clock only runs with settings.WJZ_DEMO_MODE, which settings refuse without DEBUG."""

    name = "workflows.demo"
    label = "demo"
    verbose_name = "演示"
