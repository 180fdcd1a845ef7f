# Personal data encrypted at rest (ADR 0050): the columns become encrypted text, the hash columns are added,
# then the existing rows are encrypted and hashed in place (reversible: decrypted back).

from django.db import migrations

import egov.crypto


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_user_sessions'),
    ]

    operations = [
        migrations.AddField(
            model_name='portalprofile',
            name='id_number_hash',
            field=egov.crypto.LookupHashField(blank=True, db_default='', db_index=True, default='', editable=False, kind='id-number', max_length=64, source='id_number'),
        ),
        migrations.AlterField(
            model_name='organisation',
            name='address',
            field=egov.crypto.EncryptedTextField(blank=True, max_length=255, verbose_name='address'),
        ),
        migrations.AlterField(
            model_name='portalprofile',
            name='address',
            field=egov.crypto.EncryptedTextField(blank=True, max_length=255, verbose_name='address'),
        ),
        migrations.AlterField(
            model_name='portalprofile',
            name='id_number',
            field=egov.crypto.EncryptedTextField(blank=True, max_length=12, verbose_name='citizen ID number'),
        ),
        migrations.AlterField(
            model_name='portalprofile',
            name='phone',
            field=egov.crypto.EncryptedTextField(blank=True, max_length=20, verbose_name='phone'),
        ),
        egov.crypto.migration('accounts.PortalProfile'),
        egov.crypto.migration('accounts.Organisation'),
    ]
