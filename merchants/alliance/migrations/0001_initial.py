"""The alliance models move here from the ``merchants`` app, where ``merchants/migrations/0002`` created
them; their rows stay where they are.

This migration only tells Django's migration state that the ``alliance`` app now has the five models,
on the tables the merchants app made (``merchants_*``); nothing in the database is created or copied.
``merchants/migrations/0004`` then drops them from the merchants app's state, and ``0002`` here renames
the tables.

The content types of the five models are relabelled from ``merchants`` to ``alliance`` instead of being
left stale: permissions (``alliance.change_commitment`` …) and admin history point at a content type,
so relabelling keeps every grant to a user or group and every admin log entry.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MODELS = ("alliancemembership", "membershipstatuschange", "kpi", "commitment", "progressreport")


def _relabel(apps, schema_editor, old_label, new_label):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MODELS:
        # Both labels have one when a ``migrate`` stopped half-way through the move (its post_migrate
        # signal made the missing ones): neither is dropped, as grants may hang on either, and
        # ``remove_stale_contenttypes`` can retire the one left over.
        if ContentType.objects.using(db).filter(app_label=new_label, model=model).exists():
            continue
        ContentType.objects.using(db).filter(app_label=old_label, model=model).update(app_label=new_label)
    ContentType.objects.clear_cache()


def content_types_to_alliance(apps, schema_editor):
    _relabel(apps, schema_editor, "merchants", "alliance")


def content_types_to_merchants(apps, schema_editor):
    _relabel(apps, schema_editor, "alliance", "merchants")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("merchants", "0003_seed_alliance_kpis"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="Kpi",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name_en", models.CharField(max_length=200)),
                        ("name_zh", models.CharField(blank=True, max_length=200)),
                        ("code", models.SlugField(max_length=60, unique=True)),
                        ("unit", models.CharField(choices=[("percent", "%"), ("kgco2e_per_order", "kgCO2e per order"), ("tco2e", "tCO2e")], max_length=30)),
                        ("direction", models.CharField(choices=[("higher", "Higher is better"), ("lower", "Lower is better")], max_length=10)),
                        ("source", models.CharField(choices=[("platform", "Measured by the platform"), ("declared", "Self-declared")], max_length=10)),
                        ("definition_en", models.TextField(max_length=2000)),
                        ("definition_zh", models.TextField(blank=True, max_length=2000)),
                        ("position", models.PositiveSmallIntegerField(default=0)),
                        ("active", models.BooleanField(default=True)),
                    ],
                    options={
                        "db_table": "merchants_kpi",
                        "verbose_name": "KPI",
                        "verbose_name_plural": "KPIs",
                        "ordering": ["position", "code"],
                    },
                ),
                migrations.CreateModel(
                    name="AllianceMembership",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("status", models.CharField(choices=[("applied", "Applied"), ("active", "Active"), ("rejected", "Rejected"), ("suspended", "Suspended"), ("withdrawn", "Withdrawn")], db_index=True, default="applied", max_length=20)),
                        ("pledges", models.JSONField(default=list, help_text="Codes of the pledges taken.")),
                        ("declarations", models.JSONField(blank=True, default=dict, help_text="Soft declarations (not checked by the platform).")),
                        ("criteria", models.JSONField(default=list, help_text="The hard criteria checked by the platform at application, with results.")),
                        ("criteria_passed", models.BooleanField(default=False)),
                        ("status_reason", models.TextField(blank=True, help_text="Reason of the last rejection or suspension, shown to the member.", max_length=2000)),
                        ("applied_at", models.DateTimeField(auto_now_add=True)),
                        ("decided_at", models.DateTimeField(blank=True, null=True)),
                        ("activated_at", models.DateTimeField(blank=True, null=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        ("merchant", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="alliance_memberships", to="merchants.merchant")),
                    ],
                    options={
                        "db_table": "merchants_alliancemembership",
                        "ordering": ["-applied_at", "-id"],
                        "constraints": [
                            models.UniqueConstraint(condition=models.Q(("status__in", ["applied", "active", "suspended"])), fields=("merchant",), name="alliance_one_live_membership_per_merchant"),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="Commitment",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("baseline_value", models.DecimalField(decimal_places=4, max_digits=16)),
                        ("baseline_date", models.DateField()),
                        ("target_value", models.DecimalField(decimal_places=4, max_digits=16)),
                        ("target_date", models.DateField()),
                        ("target_type", models.CharField(choices=[("absolute", "Absolute"), ("intensity", "Intensity")], default="intensity", max_length=20)),
                        ("coverage", models.CharField(blank=True, help_text="What the target covers (e.g. all products sold online).", max_length=300)),
                        ("coverage_percent", models.DecimalField(decimal_places=2, default=100, help_text="Share of the activity the target covers.", max_digits=5)),
                        ("verification_level", models.CharField(choices=[("self_declared", "Self-declared, not verified"), ("platform_measured", "Measured by the platform"), ("limited_assurance", "Third-party verified, limited assurance"), ("reasonable_assurance", "Third-party verified, reasonable assurance")], max_length=30)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("membership", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="commitments", to="alliance.alliancemembership")),
                        ("kpi", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="commitments", to="alliance.kpi")),
                    ],
                    options={
                        "db_table": "merchants_commitment",
                        "ordering": ["created_at", "id"],
                        "constraints": [
                            models.UniqueConstraint(fields=("membership", "kpi"), name="alliance_one_commitment_per_kpi"),
                            models.CheckConstraint(condition=models.Q(("target_date__gt", models.F("baseline_date"))), name="alliance_target_after_baseline"),
                            models.CheckConstraint(condition=models.Q(("coverage_percent__gt", 0), ("coverage_percent__lte", 100)), name="alliance_coverage_percent_range"),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="MembershipStatusChange",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("from_status", models.CharField(blank=True, choices=[("applied", "Applied"), ("active", "Active"), ("rejected", "Rejected"), ("suspended", "Suspended"), ("withdrawn", "Withdrawn")], max_length=20)),
                        ("to_status", models.CharField(choices=[("applied", "Applied"), ("active", "Active"), ("rejected", "Rejected"), ("suspended", "Suspended"), ("withdrawn", "Withdrawn")], max_length=20)),
                        ("reason", models.TextField(blank=True, max_length=2000)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("actor", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("membership", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="history", to="alliance.alliancemembership")),
                    ],
                    options={
                        "db_table": "merchants_membershipstatuschange",
                        "ordering": ["created_at", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="ProgressReport",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("period_start", models.DateField()),
                        ("period_end", models.DateField()),
                        ("value", models.DecimalField(decimal_places=4, max_digits=16)),
                        ("evidence_url", models.URLField(blank=True, max_length=500)),
                        ("evidence_text", models.TextField(blank=True, max_length=2000)),
                        ("source", models.CharField(choices=[("platform", "Measured by the platform"), ("declared", "Self-declared")], max_length=10)),
                        ("inputs", models.JSONField(blank=True, default=dict, help_text="The fetched numbers a measurement used.")),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("commitment", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="reports", to="alliance.commitment")),
                        ("created_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "merchants_progressreport",
                        "ordering": ["period_end", "id"],
                        "constraints": [
                            models.UniqueConstraint(fields=("commitment", "period_start", "period_end", "source"), name="alliance_one_report_per_period_and_source"),
                            models.CheckConstraint(condition=models.Q(("period_end__gte", models.F("period_start"))), name="alliance_report_period_order"),
                        ],
                    },
                ),
            ],
        ),
        migrations.RunPython(content_types_to_alliance, content_types_to_merchants),
    ]
