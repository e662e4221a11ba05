from django.db import models


class DemoClock(models.Model):
    """How many days the demo's clock runs ahead of the real one (one row, pk 1).

    Kept in the database so that a new database starts on the real date and every process of
    the demo reads the same offset (workflows.demo.clock)."""

    offset_days = models.PositiveIntegerField("快进天数", default=0)
    updated = models.DateTimeField("最后快进时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "演示时钟"

    def __str__(self):
        return f"演示时钟：已快进 {self.offset_days} 天"
