"""Formerly the roles; they now live in lms (migration lms.0001_roles), above the apps they name."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]

    operations = []
