from axes.apps import AppConfig as AxesAppConfig


class LoginProtectionConfig(AxesAppConfig):
    """django-axes under a Chinese name in the admin, where administrators unlock accounts."""

    verbose_name = "登录保护"
