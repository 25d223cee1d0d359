

app_name = "complaints"

urlpatterns: list = [
    # path("staff/reports/", staff.inbox, name="inbox"), ... (filled by the staff pages)
]
