"""Pages of the organisation core: home, health, staff home by role, organisation, imports."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from kindness import selectors, services
from kindness.forms import ImportUploadForm
from kindness.imports import REGISTRY, describe_summary
from kindness.models import Department, ImportBatch
from kindness.params import BadParameter
from kindness.roles import Role, roles_of, scope_of


def staff_permission(perm: str):
    """Anonymous visitors go to the login page; signed-in users without `perm` get 403."""

    def decorator(view):
        return login_required(permission_required(perm, raise_exception=True)(view))

    return decorator


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "kindness/home.html")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_required
@require_GET
def staff_home(request: HttpRequest) -> HttpResponse:
    user_roles = roles_of(request.user)
    scope = scope_of(request.user)
    context = {
        "roles": [Role(r) for r in Role.values if r in user_roles],
        "scope": scope,
        "official": getattr(request.user, "official", None),
        "departments": selectors.departments_for(request.user)[:10]
        if not scope.city_wide
        else None,
        "recent_imports": selectors.recent_imports(5)
        if request.user.has_perm("kindness.view_importbatch")
        else None,
    }
    return render(request, "kindness/staff_home.html", context)


@staff_permission("kindness.view_department")
@require_GET
def department_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()[:100]
    return render(
        request,
        "kindness/department_list.html",
        {"departments": selectors.departments_for(request.user, search=search), "q": search},
    )


@staff_permission("kindness.view_department")
@require_GET
def department_detail(request: HttpRequest, code: str) -> HttpResponse:
    department = get_object_or_404(
        Department.objects.visible_to(request.user).select_related("bureau"), code=code
    )
    return render(
        request,
        "kindness/department_detail.html",
        {"department": department, "officials": selectors.officials_of(department)},
    )


@staff_permission("kindness.view_importbatch")
def import_list(request: HttpRequest) -> HttpResponse:
    can_upload = request.user.has_perm("kindness.run_import")
    form = ImportUploadForm()
    if request.method == "POST":
        if not can_upload:
            return render(request, "403.html", status=403)
        # Bound on every POST, even an empty one, which then gets its form errors.
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            batch = services.import_batch_create(
                kind=form.cleaned_data["kind"],
                filename=upload.name,
                content=upload.read(),
                by=request.user,
            )
            return redirect("import-detail", pk=batch.pk)
    return render(
        request,
        "kindness/import_list.html",
        {
            "form": form,
            "can_upload": can_upload,
            "batches": selectors.recent_imports(),
            "importers": sorted(REGISTRY.values(), key=lambda i: i.kind),
        },
        status=400 if form.errors else 200,
    )


@staff_permission("kindness.view_importbatch")
@require_GET
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(ImportBatch.objects.select_related("uploaded_by"), pk=pk)
    importer = REGISTRY.get(batch.kind)
    return render(
        request,
        "kindness/import_detail.html",
        {
            "batch": batch,
            "importer": importer,
            "summary": describe_summary(batch.summary),
            "can_upload": request.user.has_perm("kindness.run_import"),
            "polling": batch.status == ImportBatch.Status.QUEUED,
        },
    )


@staff_permission("kindness.run_import")
@require_POST
def import_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    batch = get_object_or_404(ImportBatch, pk=pk)
    try:
        if action == "confirm":
            batch = services.import_batch_confirm(batch=batch)
            batch.refresh_from_db()
            if batch.status == ImportBatch.Status.APPLIED:
                messages.success(request, _("The file was imported."))
            elif batch.status == ImportBatch.Status.INVALID:
                messages.error(
                    request,
                    _(
                        "The data changed since the preview; see the problems below. Nothing was imported."
                    ),
                )
            else:
                messages.info(request, _("The import is queued and will run in the background."))
        else:
            services.import_batch_cancel(batch=batch)
            messages.info(request, _("The import was cancelled."))
    except services.ImportStateError as exc:
        messages.error(request, str(exc))
        return render(
            request,
            "kindness/import_detail.html",
            {
                "batch": batch,
                "importer": REGISTRY.get(batch.kind),
                "summary": describe_summary(batch.summary),
                "can_upload": True,
            },
            status=409,
        )
    return redirect("import-detail", pk=batch.pk)


def rate_limited(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "429.html", status=429)


def error_404(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_403(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "403.html", status=403)


def error_400(request: HttpRequest, exception=None) -> HttpResponse:
    # Only our own parameter errors carry a message meant for people (kindness.params).
    message = str(exception) if isinstance(exception, BadParameter) else ""
    return render(request, "400.html", {"message": message}, status=400)


def error_500(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
