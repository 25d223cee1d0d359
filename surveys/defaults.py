"""The default happy-call questionnaire and telephone scorecard of SPEC section 4. Created
by migration 0002 and again after every `migrate` or flush (post_migrate), so they exist
whenever the database does."""

ITEMS = [
    ("speed", "처리 속도", "Speed of handling"),
    ("clarity", "설명의 명확성", "Clarity of explanation"),
    ("kindness", "담당 공무원의 친절", "Kindness of the official"),
    ("result", "처리 결과 만족도", "Satisfaction with the result"),
    ("overall", "전반적 만족도", "Overall satisfaction"),
]


def survey_defaults_restore(sender, **kwargs) -> None:
    """post_migrate receiver. A flush (as transactional tests do) empties every table and
    then sends post_migrate: recreate the default questionnaire and scorecard, as the roles
    are."""
    survey_defaults_ensure()


def survey_defaults_ensure(apps=None) -> None:
    """Create the defaults when missing; never touches existing versions. Safe to repeat."""
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    Questionnaire = apps.get_model("surveys", "Questionnaire")
    QuestionItem = apps.get_model("surveys", "QuestionItem")
    PhoneScorecard = apps.get_model("surveys", "PhoneScorecard")
    if not Questionnaire.objects.filter(code="happy-call").exists():
        questionnaire = Questionnaire.objects.create(
            code="happy-call", version=1, title="해피콜 만족도 조사", active=True
        )
        for order, (key, ko, en) in enumerate(ITEMS, start=1):
            QuestionItem.objects.create(
                questionnaire=questionnaire, key=key, order=order, label_ko=ko, label_en=en, scale=5
            )
    if not PhoneScorecard.objects.exists():
        PhoneScorecard.objects.create(version=1, active=True)
