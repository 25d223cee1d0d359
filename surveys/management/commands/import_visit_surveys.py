from kindness.management.import_command import ImportCommand


class Command(ImportCommand):
    kind = "visit_surveys"
