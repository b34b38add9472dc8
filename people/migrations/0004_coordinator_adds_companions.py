"""Formerly the coordinator's add_companion grant; now part of the roles in lms.0001_roles."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("people", "0003_constraint_messages")]

    operations = []
