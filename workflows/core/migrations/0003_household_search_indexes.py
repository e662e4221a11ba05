from django.db import migrations, models

# The last digits of an ID number are a prefix of its reverse: on PostgreSQL an expression
# index with the pattern operator class makes `reverse(id_number) LIKE '4321%'` an index
# range (workflows.core.search). Other databases (SQLite in development and tests) search
# the same way without it.
REVERSED_ID = "CREATE INDEX IF NOT EXISTS member_id_reversed_like ON core_member (reverse(id_number) text_pattern_ops)"


def create_reversed_id_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REVERSED_ID)


def drop_reversed_id_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS member_id_reversed_like")


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0002_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="member",
            index=models.Index(fields=["name"], name="member_name_like", opclasses=["varchar_pattern_ops"]),
        ),
        migrations.RunPython(create_reversed_id_index, drop_reversed_id_index),
    ]
