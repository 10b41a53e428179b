"""Rename the alliance tables from the ``merchants_*`` names they were created with to the alliance
app's own ``alliance_*`` names.

``ALTER TABLE … RENAME TO`` keeps every row, the primary key values and the foreign keys that point at
the tables (PostgreSQL references tables by identity; SQLite, from 3.26, rewrites the references in the
other tables), so nothing is copied. It runs once the merchants app no longer claims the models
(``merchants/migrations/0004``), so the merchants app's migration state never names a renamed table.

Indexes, foreign-key constraints and, on PostgreSQL, the id sequences keep their ``merchants_…`` names:
Django finds them by introspection when a later migration alters them, so the names do not matter.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("alliance", "0001_initial"),
        ("merchants", "0004_alliance_models_move_to_their_app"),
    ]

    operations = [
        migrations.AlterModelTable(name="kpi", table=None),
        migrations.AlterModelTable(name="alliancemembership", table=None),
        migrations.AlterModelTable(name="membershipstatuschange", table=None),
        migrations.AlterModelTable(name="commitment", table=None),
        migrations.AlterModelTable(name="progressreport", table=None),
    ]
