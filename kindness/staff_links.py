"""The core's own entries on the staff home (kindness.staff_home), registered on import: the
app's `ready()` imports this module."""

from django.utils.translation import gettext_lazy as _

from kindness.models import ImportBatch
from kindness.roles import Role
from kindness.selectors import failed_imports_q
from kindness.staff_home import StaffLink, register


def _failed_imports(user) -> int:
    return ImportBatch.objects.filter(failed_imports_q()).count()


everyone_city_wide = (Role.HAPPY_CALL, Role.REPORT_OFFICER, Role.MANAGER, Role.AUDITOR)
# A table, one entry per line: key, label, URL name, roles, permission, query, count, figures, order.
# fmt: off
register(
    StaffLink("kindness.failed-imports", _("Failed or refused imports"), "import-list", (Role.MANAGER,), "kindness.view_importbatch", "status=failed", _failed_imports, None, 60),
    StaffLink("kindness.imports", _("Imports"), "import-list", (Role.MANAGER, Role.AUDITOR), "kindness.view_importbatch", "", None, None, 900),
    StaffLink("kindness.departments", _("Departments and officials"), "department-list", everyone_city_wide, "kindness.view_department", "", None, None, 950),
    StaffLink("kindness.admin", _("Administration"), "admin:index", (Role.ADMIN,), "", "", None, None, 10),
)
# fmt: on
