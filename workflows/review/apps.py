from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "workflows.review"
    label = "review"
    verbose_name = "联审联批会议"
