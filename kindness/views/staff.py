"""Staff pages of the core: the staff home, the organisation and the imports."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kindness import selectors, services
from kindness.forms import DepartmentSearchForm, ImportUploadForm
from kindness.imports import CHANGE_LABELS, CHANGES_KEPT, REGISTRY, describe_summary
from kindness.models import Department, ImportBatch
from kindness.roles import scope_of
from kindness.staff_home import sections_for
from kindness.views import staff_permission

CHANGES_PER_PAGE = 50


@login_required
@require_GET
def staff_home(request: HttpRequest) -> HttpResponse:
    """Per role, what waits for the user and the pages they use: the entries the apps
    registered with `kindness.staff_home`, filtered by role and permission."""
    scope = scope_of(request.user)
    context = {
        "sections": sections_for(request.user),
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
    form = DepartmentSearchForm(request.GET)
    search = form.cleaned_data["q"].strip() if form.is_valid() else ""
    return render(
        request,
        "kindness/department_list.html",
        {"departments": selectors.departments_for(request.user, search=search), "form": form},
        status=400 if form.errors else 200,
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
    failed = request.GET.get("status") == "failed"
    form = ImportUploadForm()
    if request.method == "POST":
        if not can_upload:
            return render(request, "403.html", status=403)
        # Bound on every POST, even an empty one, which then gets its form errors.
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            batch = services.import_batch_create(
                kind=form.cleaned_data["kind"],
                filename=form.cleaned_data["file"].name,
                content=form.cleaned_data["content"],
                by=request.user,
            )
            return redirect("import-detail", pk=batch.pk)
    return render(
        request,
        "kindness/import_list.html",
        {
            "form": form,
            "can_upload": can_upload,
            "batches": selectors.recent_imports(failed=failed),
            "failed_only": failed,
            "importers": sorted(REGISTRY.values(), key=lambda i: i.kind),
        },
        status=400 if form.errors else 200,
    )


@staff_permission("kindness.view_importbatch")
@require_GET
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(
        ImportBatch.objects.select_related("uploaded_by").defer("content"), pk=pk
    )
    return render(
        request,
        "kindness/import_detail.html",
        {
            **_import_detail_context(request, batch),
            "can_upload": request.user.has_perm("kindness.run_import"),
            "polling": batch.status == ImportBatch.Status.QUEUED,
        },
    )


def _import_detail_context(request: HttpRequest, batch: ImportBatch) -> dict:
    """The batch, its counts and one page of the rows it creates or changes, optionally of
    one kind of change (?change=transferred)."""
    kinds = Counter(c["change"] for c in batch.changes)
    shown = request.GET.get("change", "")
    if shown not in kinds:
        shown = ""
    rows = [c for c in batch.changes if not shown or c["change"] == shown]
    page = Paginator(rows, CHANGES_PER_PAGE).get_page(request.GET.get("page"))
    for row in page:
        row["label"] = CHANGE_LABELS.get(row["change"], row["change"])
    return {
        "batch": batch,
        "importer": REGISTRY.get(batch.kind),
        "summary": describe_summary(batch.summary),
        "changes": page,
        "change_filters": [(k, CHANGE_LABELS.get(k, k), n) for k, n in sorted(kinds.items())],
        "change_shown": shown,
        "changes_capped": len(batch.changes) >= CHANGES_KEPT,
    }


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
            {**_import_detail_context(request, batch), "can_upload": True},
            status=409,
        )
    return redirect("import-detail", pk=batch.pk)
