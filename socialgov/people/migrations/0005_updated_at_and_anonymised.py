import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("people", "0004_wellbeing_role")]

    operations = [
        migrations.AddField(
            model_name="department",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, db_index=True, default=django.utils.timezone.now),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="user",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, db_index=True, default=django.utils.timezone.now),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="user",
            name="anonymised_at",
            field=models.DateTimeField(
                blank=True, editable=False, help_text="When a leaver's personal details were removed.", null=True
            ),
        ),
        migrations.AddField(
            model_name="historicaluser",
            name="anonymised_at",
            field=models.DateTimeField(
                blank=True, editable=False, help_text="When a leaver's personal details were removed.", null=True
            ),
        ),
    ]
