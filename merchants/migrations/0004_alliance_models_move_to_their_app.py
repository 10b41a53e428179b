"""The merchants app lets go of the alliance models, which ``alliance/migrations/0001`` took over.

State only: the tables and their rows belong to the ``alliance`` app from here on, so nothing in the
database is dropped. Models are removed after the ones that point at them.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("merchants", "0003_seed_alliance_kpis"),
        ("alliance", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="ProgressReport"),
                migrations.DeleteModel(name="Commitment"),
                migrations.DeleteModel(name="MembershipStatusChange"),
                migrations.DeleteModel(name="AllianceMembership"),
                migrations.DeleteModel(name="Kpi"),
            ],
        ),
    ]
