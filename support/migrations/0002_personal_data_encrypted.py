# Personal data encrypted at rest (ADR 0050): the columns become encrypted text, the hash columns are added,
# then the existing rows are encrypted and hashed in place (reversible: decrypted back).

from django.conf import settings
from django.db import migrations, models

import egov.crypto


class Migration(migrations.Migration):

    dependencies = [
        ('support', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='subscription',
            name='support_subscription_once',
        ),
        migrations.AddField(
            model_name='subscription',
            name='address_hash',
            field=egov.crypto.LookupHashField(blank=True, db_default='', db_index=True, default='', editable=False, kind='contact', max_length=64, source='address'),
        ),
        migrations.AlterField(
            model_name='subscription',
            name='address',
            field=egov.crypto.EncryptedTextField(help_text='E-mail address or phone number', max_length=254, verbose_name='address'),
        ),
        migrations.AlterField(
            model_name='supportrequest',
            name='phone',
            field=egov.crypto.EncryptedTextField(blank=True, max_length=20, verbose_name='phone'),
        ),
        egov.crypto.migration('support.SupportRequest'),
        egov.crypto.migration('support.Subscription'),
        migrations.AddConstraint(
            model_name='subscription',
            constraint=models.UniqueConstraint(fields=('channel', 'address_hash'), name='support_subscription_once'),
        ),
    ]
