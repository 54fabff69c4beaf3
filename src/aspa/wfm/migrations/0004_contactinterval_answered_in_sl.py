from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("wfm", "0003_period_wish_reminder"),
    ]

    operations = [
        migrations.AddField(
            model_name="contactinterval",
            name="answered_in_sl",
            field=models.PositiveIntegerField(
                blank=True, null=True, verbose_name="answered within the service-level target"
            ),
        ),
    ]
