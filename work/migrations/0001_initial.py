# Quản lý công việc: tasks, assignees, progress reports, extension requests, the weekly schedule.

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('directory', '0003_centres_delegations_history'),
        ('documents', '0002_document_types'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ScheduleEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('starts_at', models.DateTimeField(verbose_name='starts at')),
                ('ends_at', models.DateTimeField(blank=True, null=True, verbose_name='ends at')),
                ('title', models.CharField(max_length=300, verbose_name='activity')),
                ('place', models.CharField(blank=True, max_length=200, verbose_name='place')),
                ('chaired_by', models.CharField(blank=True, max_length=200, verbose_name='chaired by')),
                ('participants', models.TextField(blank=True, verbose_name='participants')),
                ('published', models.BooleanField(default=False, verbose_name='published')),
                ('agency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='schedule_entries', to='directory.agency', verbose_name='agency')),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'schedule entry',
                'verbose_name_plural': 'schedule entries',
                'ordering': ['starts_at', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Task',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=300, verbose_name='title')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('source', models.CharField(choices=[('document', 'an official document'), ('meeting', 'a meeting'), ('ad_hoc', 'ad hoc')], default='ad_hoc', max_length=10, verbose_name='source')),
                ('meeting', models.CharField(blank=True, max_length=300, verbose_name='meeting')),
                ('priority', models.CharField(choices=[('normal', 'normal'), ('high', 'high'), ('urgent', 'urgent')], default='normal', max_length=10, verbose_name='priority')),
                ('due_on', models.DateField(verbose_name='due date')),
                ('status', models.CharField(choices=[('open', 'open'), ('in_progress', 'in progress'), ('awaiting_approval', 'awaiting approval of completion'), ('done', 'done'), ('cancelled', 'cancelled')], default='open', max_length=20, verbose_name='status')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('completed_at', models.DateTimeField(blank=True, null=True)),
                ('reminded_on', models.DateField(blank=True, null=True)),
                ('revision', models.PositiveIntegerField(default=1)),
                ('agency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='tasks', to='directory.agency', verbose_name='agency')),
                ('approved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('assigned_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='tasks_given', to=settings.AUTH_USER_MODEL, verbose_name='assigned by')),
                ('document', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='tasks', to='documents.document', verbose_name='source document')),
                ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='subtasks', to='work.task', verbose_name='parent task')),
            ],
            options={
                'verbose_name': 'task',
                'verbose_name_plural': 'tasks',
                'ordering': ['due_on', 'id'],
            },
        ),
        migrations.CreateModel(
            name='ProgressReport',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('percent', models.PositiveSmallIntegerField(validators=[django.core.validators.MaxValueValidator(100)], verbose_name='progress (%)')),
                ('text', models.TextField(verbose_name='report')),
                ('attachment', models.FileField(blank=True, upload_to='work/reports/%Y/%m/', verbose_name='attachment')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('author', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('task', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reports', to='work.task')),
            ],
            options={
                'verbose_name': 'progress report',
                'verbose_name_plural': 'progress reports',
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='ExtensionRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('requested_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('new_due_on', models.DateField(verbose_name='new due date')),
                ('reason', models.TextField(verbose_name='reason')),
                ('state', models.CharField(choices=[('pending', 'pending'), ('approved', 'approved'), ('refused', 'refused')], default='pending', max_length=10, verbose_name='state')),
                ('decided_at', models.DateTimeField(blank=True, null=True)),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('requested_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('task', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='extensions', to='work.task')),
            ],
            options={
                'verbose_name': 'extension request',
                'verbose_name_plural': 'extension requests',
                'ordering': ['-requested_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='TaskAssignee',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('main', 'in charge (chủ trì)'), ('cooperate', 'cooperates (phối hợp)')], default='main', max_length=10, verbose_name='role')),
                ('person', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='work_assignments', to=settings.AUTH_USER_MODEL, verbose_name='person')),
                ('task', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='assignees', to='work.task')),
                ('unit', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='directory.orgunit', verbose_name='unit')),
            ],
            options={
                'verbose_name': 'task assignee',
                'verbose_name_plural': 'task assignees',
                'ordering': ['role', 'id'],
            },
        ),
        migrations.AddIndex(
            model_name='task',
            index=models.Index(fields=['agency', 'status', 'due_on'], name='work_task_agency_status'),
        ),
        migrations.AddConstraint(
            model_name='taskassignee',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('person__isnull', True), ('unit__isnull', False)), models.Q(('person__isnull', False), ('unit__isnull', True)), _connector='OR'), name='work_assignee_unit_or_person'),
        ),
    ]
