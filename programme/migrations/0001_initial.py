"""The programme records of SPEC section 6, taken over from the `kindness` app.

State only: the tables were made by `kindness.0006_programme_records` and keep their names
(`db_table`); `kindness.0007_programme_records_move_to_programme_app` dropped the models from
the `kindness` state without touching the database. On a new database the tables are made by
that same `kindness.0006`, so both paths end in the same schema."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('complaints', '0003_praise_board_index'),
        ('kindness', '0007_programme_records_move_to_programme_app'),
        ('surveys', '0002_defaults'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Expert',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=100, verbose_name='name')),
                        ('field', models.CharField(max_length=200, verbose_name='field')),
                        ('active', models.BooleanField(default=True, verbose_name='active')),
                    ],
                    options={
                        'verbose_name': 'expert',
                        'verbose_name_plural': 'experts',
                        'db_table': 'kindness_expert',
                        'ordering': ['name'],
                    },
                ),
                migrations.CreateModel(
                    name='ConsultationSlot',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('starts_at', models.DateTimeField(verbose_name='starts at')),
                        ('ends_at', models.DateTimeField(verbose_name='ends at')),
                        ('place', models.CharField(blank=True, max_length=200, verbose_name='place')),
                        ('expert', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='slots', to='programme.expert', verbose_name='expert')),
                    ],
                    options={
                        'verbose_name': 'consultation slot',
                        'verbose_name_plural': 'consultation slots',
                        'db_table': 'kindness_consultationslot',
                        'ordering': ['starts_at', 'expert'],
                    },
                ),
                migrations.CreateModel(
                    name='Initiative',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                        ('title', models.CharField(max_length=200, verbose_name='title')),
                        ('description', models.TextField(blank=True, verbose_name='description')),
                        ('strengths', models.TextField(blank=True, verbose_name='self-diagnosed strengths')),
                        ('weaknesses', models.TextField(blank=True, verbose_name='self-diagnosed weaknesses')),
                        ('actions', models.TextField(blank=True, verbose_name='planned actions')),
                        ('outcome', models.TextField(blank=True, verbose_name='outcome')),
                        ('assessment', models.CharField(blank=True, choices=[('excellent', 'Excellent'), ('good', 'Good'), ('fair', 'Fair'), ('poor', 'Needs improvement')], max_length=20, verbose_name="manager's assessment")),
                        ('assessment_note', models.TextField(blank=True, verbose_name='assessment note')),
                        ('assessed_at', models.DateTimeField(blank=True, null=True, verbose_name='assessed at')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                        ('assessed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='assessed by')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                        ('department', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='initiatives', to='kindness.department', verbose_name='department')),
                    ],
                    options={
                        'verbose_name': 'kindness initiative',
                        'verbose_name_plural': 'kindness initiatives',
                        'db_table': 'kindness_initiative',
                        'ordering': ['-year', 'department__code'],
                        'permissions': [('assess_initiative', 'Can comment on and assess kindness initiatives')],
                    },
                ),
                migrations.CreateModel(
                    name='InitiativeNote',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('progress', 'Progress update'), ('comment', "Manager's comment")], max_length=20, verbose_name='kind')),
                        ('text', models.TextField(verbose_name='text')),
                        ('at', models.DateTimeField(auto_now_add=True, verbose_name='at')),
                        ('by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by')),
                        ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notes', to='programme.initiative')),
                    ],
                    options={
                        'verbose_name': 'initiative note',
                        'verbose_name_plural': 'initiative notes',
                        'db_table': 'kindness_initiativenote',
                        'ordering': ['initiative', 'at', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='TrainingSession',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('mind', 'Kindness-mind training'), ('support_lecture', 'Special lecture for support staff'), ('non_regular', 'Training for non-regular staff'), ('case_based', 'Case-based training for petition handlers'), ('workshop', 'Departmental workshop')], max_length=20, verbose_name='kind')),
                        ('title', models.CharField(max_length=200, verbose_name='title')),
                        ('starts_on', models.DateField(verbose_name='first day')),
                        ('ends_on', models.DateField(verbose_name='last day')),
                        ('place', models.CharField(blank=True, max_length=200, verbose_name='place')),
                        ('instructor', models.CharField(blank=True, max_length=200, verbose_name='instructor')),
                        ('description', models.TextField(blank=True, verbose_name='description')),
                        ('handout_intro', models.TextField(blank=True, verbose_name='handout introduction')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                        ('department', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='training_sessions', to='kindness.department', verbose_name='department (for a workshop)')),
                    ],
                    options={
                        'verbose_name': 'training session',
                        'verbose_name_plural': 'training sessions',
                        'db_table': 'kindness_trainingsession',
                        'ordering': ['-starts_on', 'title'],
                        'permissions': [('manage_training', 'Can plan training and record attendance')],
                    },
                ),
                migrations.CreateModel(
                    name='TrainingAttendance',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('employment_type', models.CharField(max_length=20, verbose_name='employment type')),
                        ('completed', models.BooleanField(default=True, verbose_name='completed')),
                        ('recorded_at', models.DateTimeField(auto_now_add=True)),
                        ('department', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='kindness.department', verbose_name='department')),
                        ('official', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='training', to='kindness.official', verbose_name='official')),
                        ('recorded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('session', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attendances', to='programme.trainingsession')),
                    ],
                    options={
                        'verbose_name': 'training attendance',
                        'verbose_name_plural': 'training attendances',
                        'db_table': 'kindness_trainingattendance',
                        'ordering': ['session', 'official__name'],
                    },
                ),
                migrations.CreateModel(
                    name='HandoutCase',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('order', models.PositiveSmallIntegerField(default=0, verbose_name='order')),
                        ('note', models.TextField(blank=True, verbose_name="trainer's note")),
                        ('happy_call', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='surveys.happycall', verbose_name='happy-call voice')),
                        ('report', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='complaints.report', verbose_name='published case')),
                        ('session', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='handout', to='programme.trainingsession')),
                    ],
                    options={
                        'verbose_name': 'handout case',
                        'verbose_name_plural': 'handout cases',
                        'db_table': 'kindness_handoutcase',
                        'ordering': ['session', 'order', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='ConsultationRequest',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('receipt_no', models.CharField(max_length=20, unique=True, verbose_name='request number')),
                        ('topic', models.CharField(max_length=200, verbose_name='topic')),
                        ('details', models.TextField(blank=True, verbose_name='details')),
                        ('preferred_on', models.DateField(verbose_name='preferred date')),
                        ('preferred_time', models.CharField(choices=[('any', 'Any time'), ('morning', 'Morning'), ('afternoon', 'Afternoon')], default='any', max_length=20, verbose_name='preferred time of day')),
                        ('preferred_note', models.CharField(blank=True, max_length=200, verbose_name='other times that suit')),
                        ('priority_group', models.CharField(blank=True, choices=[('', 'None'), ('low_income', 'Low income'), ('disabled', 'Person with a disability'), ('elderly', 'Older person living alone'), ('other', 'Other vulnerable group')], max_length=20, verbose_name='priority group')),
                        ('name', models.CharField(blank=True, max_length=100, verbose_name='name')),
                        ('phone', models.CharField(blank=True, max_length=30, verbose_name='phone')),
                        ('email', models.EmailField(blank=True, max_length=254, verbose_name='e-mail')),
                        ('consent_at', models.DateTimeField(blank=True, null=True, verbose_name='consent given at')),
                        ('status', models.CharField(choices=[('requested', 'Requested'), ('confirmed', 'Confirmed'), ('done', 'Held'), ('cancelled', 'Cancelled'), ('no_show', 'Did not come')], default='requested', max_length=20, verbose_name='status')),
                        ('confirmed_at', models.DateTimeField(blank=True, null=True, verbose_name='confirmed at')),
                        ('outcome', models.TextField(blank=True, verbose_name='outcome')),
                        ('ended_at', models.DateTimeField(blank=True, null=True, verbose_name='ended at')),
                        ('personal_data_erased_at', models.DateTimeField(blank=True, null=True, verbose_name='personal data erased at')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='received at')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                        ('handler', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='handled by')),
                        ('slot', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='requests', to='programme.consultationslot', verbose_name='slot')),
                    ],
                    options={
                        'verbose_name': 'consultation request',
                        'verbose_name_plural': 'consultation requests',
                        'db_table': 'kindness_consultationrequest',
                        'ordering': ['-created_at'],
                        'permissions': [('handle_consultation', 'Can confirm consultations and record outcomes')],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('status__in', ['confirmed', 'done', 'no_show'])), fields=('slot',), name='one_booking_per_slot'), models.CheckConstraint(condition=models.Q(('status', 'requested'), ('status', 'cancelled'), ('slot__isnull', False), _connector='OR'), name='booked_request_has_slot')],
                    },
                ),
                migrations.AddConstraint(
                    model_name='consultationslot',
                    constraint=models.CheckConstraint(condition=models.Q(('ends_at__gt', models.F('starts_at'))), name='slot_ends_after_start'),
                ),
                migrations.AddConstraint(
                    model_name='initiative',
                    constraint=models.UniqueConstraint(fields=('department', 'year'), name='one_initiative_per_department_year'),
                ),
                migrations.AddConstraint(
                    model_name='initiative',
                    constraint=models.CheckConstraint(condition=models.Q(('title', ''), _negated=True), name='initiative_title_not_empty'),
                ),
                migrations.AddConstraint(
                    model_name='trainingsession',
                    constraint=models.CheckConstraint(condition=models.Q(('ends_on__gte', models.F('starts_on'))), name='training_dates_in_order'),
                ),
                migrations.AddIndex(
                    model_name='trainingattendance',
                    index=models.Index(fields=['department', 'session'], name='kindness_tr_departm_41f6d7_idx'),
                ),
                migrations.AddConstraint(
                    model_name='trainingattendance',
                    constraint=models.UniqueConstraint(fields=('session', 'official'), name='one_attendance_per_session'),
                ),
                migrations.AddConstraint(
                    model_name='handoutcase',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('happy_call__isnull', True), ('report__isnull', False)), models.Q(('happy_call__isnull', False), ('report__isnull', True)), _connector='OR'), name='handout_case_has_one_source'),
                ),
                migrations.AddConstraint(
                    model_name='handoutcase',
                    constraint=models.UniqueConstraint(fields=('session', 'report'), name='handout_report_once'),
                ),
                migrations.AddConstraint(
                    model_name='handoutcase',
                    constraint=models.UniqueConstraint(fields=('session', 'happy_call'), name='handout_call_once'),
                ),
            ],
            database_operations=[],
        )
    ]
