

app_name = "reports"

urlpatterns: list = [
    # path("reports/new/", public.report_new, name="new"), ... (filled by the public pages)
]
