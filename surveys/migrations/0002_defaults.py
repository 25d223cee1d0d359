"""The default happy-call questionnaire and telephone scorecard of SPEC section 4."""

from django.db import migrations

ITEMS = [
    ("speed", "처리 속도", "Speed of handling"),
    ("clarity", "설명의 명확성", "Clarity of explanation"),
    ("kindness", "담당 공무원의 친절", "Kindness of the official"),
    ("result", "처리 결과 만족도", "Satisfaction with the result"),
    ("overall", "전반적 만족도", "Overall satisfaction"),
]


def create_defaults(apps, schema_editor):
    Questionnaire = apps.get_model("surveys", "Questionnaire")
    QuestionItem = apps.get_model("surveys", "QuestionItem")
    PhoneScorecard = apps.get_model("surveys", "PhoneScorecard")
    questionnaire, created = Questionnaire.objects.get_or_create(
        code="happy-call", version=1, defaults={"title": "해피콜 만족도 조사", "active": True}
    )
    if created:
        for order, (key, ko, en) in enumerate(ITEMS, start=1):
            QuestionItem.objects.create(
                questionnaire=questionnaire, key=key, order=order, label_ko=ko, label_en=en, scale=5
            )
    PhoneScorecard.objects.get_or_create(version=1, defaults={"active": True})


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
