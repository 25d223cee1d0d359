from django.utils.translation import gettext_lazy as _


def admin_site_setup(site) -> None:
    site.site_header = _("Kindness administration")
    site.site_title = _("Kindness administration")
    site.index_title = _("Organisation and reference data")
