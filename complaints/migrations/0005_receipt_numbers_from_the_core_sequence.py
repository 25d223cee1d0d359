# Receipt numbers now come from the core's yearly number sequences (kindness.numbering):
# the receipt counters move there with prefix "R", and their table goes.

from django.db import migrations


def counters_to_sequences(apps, schema_editor):
    ReceiptCounter = apps.get_model("complaints", "ReceiptCounter")
    NumberSequence = apps.get_model("kindness", "NumberSequence")
    for counter in ReceiptCounter.objects.all():
        NumberSequence.objects.update_or_create(
            prefix="R", year=counter.year, defaults={"last": counter.last}
        )


def sequences_to_counters(apps, schema_editor):
    ReceiptCounter = apps.get_model("complaints", "ReceiptCounter")
    NumberSequence = apps.get_model("kindness", "NumberSequence")
    for sequence in NumberSequence.objects.filter(prefix="R"):
        ReceiptCounter.objects.update_or_create(
            year=sequence.year, defaults={"last": sequence.last}
        )
    NumberSequence.objects.filter(prefix="R").delete()


class Migration(migrations.Migration):

    dependencies = [
        ("complaints", "0004_praise_board_stamp_and_search"),
        ("kindness", "0008_number_sequence"),
    ]

    operations = [
        migrations.RunPython(counters_to_sequences, sequences_to_counters),
        migrations.DeleteModel(name="ReceiptCounter"),
    ]
