from django.db import migrations, models

import workflows.core.validators


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0002_payment_report_kind"),
    ]

    operations = [
        migrations.AddField(
            model_name="issuer",
            name="phone",
            # Issuers registered before the field existed have none yet: issuing a notice asks for it.
            field=models.CharField(default="", help_text="如：0551-66711234", max_length=30, validators=[workflows.core.validators.validate_office_phone], verbose_name="联系电话"),
            preserve_default=False,
        ),
    ]
