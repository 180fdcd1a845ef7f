# Personal data encrypted at rest (ADR 0050): the columns become encrypted text, the hash columns are added,
# then the existing rows are encrypted and hashed in place (reversible: decrypted back).

from django.db import migrations

import egov.crypto


class Migration(migrations.Migration):

    dependencies = [
        ('feedback', '0003_complaint_told_at'),
    ]

    operations = [
        migrations.AlterField(
            model_name='complaint',
            name='address',
            field=egov.crypto.EncryptedTextField(blank=True, max_length=255, verbose_name='address'),
        ),
        migrations.AlterField(
            model_name='complaint',
            name='phone',
            field=egov.crypto.EncryptedTextField(blank=True, max_length=20, verbose_name='phone'),
        ),
        egov.crypto.migration('feedback.Complaint'),
    ]
