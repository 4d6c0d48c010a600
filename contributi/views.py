"""Pages of the contributions: login, the operator's records, upload with report, review,
edit on the map and history. Thin: each view checks the user through
:mod:`contributi.permissions` and calls one service."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from contributi import services
from contributi.forms import SendBackForm, UploadForm, edit_form_for
from contributi.importers import check_size, upload_report
from contributi.importers import messages as m
from contributi.importers.mapping import target
from contributi.permissions import can_change, can_contribute, can_review, editable_records
from contributi.selectors import records_for, review_queue
from contributi.templates_files import CONTENT_TYPES, template_file
from remix.errors import UserInputError
from rigenerazione.models import Intervento, Opportunita

MODELS = {"interventi": Intervento, "opportunita": Opportunita}
STAGING_SESSION_KEY = "contributi_upload"


class LoginView(auth_views.LoginView):
    template_name = "contributi/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    template_name = "contributi/logged_out.html"


def _contributor(request) -> None:
    if not can_contribute(request.user):
        raise PermissionDenied(_("Serve un account di operatore comunale o di revisore CMM."))


def _record(request, target_key: str, pk: int):
    model = MODELS.get(target_key)
    if model is None:
        raise Http404
    return get_object_or_404(editable_records(request.user, model.objects.all()), pk=pk)


@login_required
def dashboard(request):
    """The records the user may edit, with their review state, and the reviewer's queue."""
    _contributor(request)
    context = {
        "records": records_for(request.user),
        "queue": review_queue() if can_review(request.user) else None,
        "is_reviewer": can_review(request.user),
        "send_back_form": SendBackForm(),
    }
    return render(request, "contributi/dashboard.html", context)


STAGING_MAX_AGE_S = 24 * 3600


def _staging_dir() -> Path:
    """The private folder (outside static and media) of uploads awaiting confirmation;
    files left unconfirmed for a day are removed."""
    folder = Path(settings.BASE_DIR) / "var" / "uploads"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    cutoff = time.time() - STAGING_MAX_AGE_S
    for stale in folder.glob("*.bin"):
        if stale.stat().st_mtime < cutoff:
            stale.unlink(missing_ok=True)
    return folder


def _mapping_from(post, spec) -> dict[str, str]:
    return {f.name: post[f"map_{f.name}"] for f in spec.fields if f"map_{f.name}" in post}


@login_required
def upload(request):
    """Step 1: the file → its report (nothing stored). Step 2 is :func:`upload_commit`."""
    _contributor(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    report = error = None
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        options = {
            "filename": form.cleaned_data["file"].name,
            "target_key": form.cleaned_data["target"],
            "stated_srid": form.cleaned_data["srid"],
            "stated_encoding": form.cleaned_data["encoding"] or None,
            "make_valid": form.cleaned_data["make_valid"],
            "mapping": _mapping_from(request.POST, target(form.cleaned_data["target"])),
        }
        try:
            check_size(upload_file.name, upload_file.size)
            data = upload_file.read()
            report = upload_report(data=data, user=request.user, **options)
        except UserInputError as exc:
            error = exc
        if report is not None:
            # Kept for the mapping step and the confirmation, so the file is sent only once.
            token = secrets.token_hex(16)
            (_staging_dir() / f"{token}.bin").write_bytes(data)
            request.session[STAGING_SESSION_KEY] = {"token": token, **options}
    status = 400 if error else 200
    context = {"form": form, "report": report, "error": error}
    return render(request, "contributi/upload.html", context, status=status)


def _staged(request) -> tuple[dict, Path] | None:
    staged = request.session.get(STAGING_SESSION_KEY)
    if not staged or request.POST.get("token") != staged["token"]:
        return None
    path = _staging_dir() / f"{staged['token']}.bin"
    return (staged, path) if path.exists() else None


@login_required
@require_POST
def upload_recheck(request):
    """The mapping step: check the staged file again with other columns or with make_valid."""
    _contributor(request)
    found = _staged(request)
    if found is None:
        messages.error(request, m.NOTHING_TO_COMMIT)
        return redirect("contributi:upload")
    staged, path = found
    staged["mapping"] = _mapping_from(request.POST, target(staged["target_key"]))
    staged["make_valid"] = request.POST.get("make_valid") == "on"
    request.session[STAGING_SESSION_KEY] = staged
    options = {k: v for k, v in staged.items() if k != "token"}
    report = error = None
    try:
        report = upload_report(data=path.read_bytes(), user=request.user, **options)
    except UserInputError as exc:
        error = exc
    form = UploadForm(initial={"target": staged["target_key"]})
    context = {"form": form, "report": report, "error": error}
    return render(request, "contributi/upload.html", context, status=400 if error else 200)


@login_required
@require_POST
def upload_commit(request):
    """Step 2: store the staged file's features as drafts, all or none."""
    _contributor(request)
    found = _staged(request)
    request.session.pop(STAGING_SESSION_KEY, None)
    if found is None:
        messages.error(request, m.NOTHING_TO_COMMIT)
        return redirect("contributi:upload")
    staged, path = found
    data = path.read_bytes()
    path.unlink()
    options = {k: v for k, v in staged.items() if k != "token"}
    try:
        report = upload_report(data=data, user=request.user, **options)
        created = services.upload_commit(report=report, user=request.user)
    except UserInputError as exc:
        messages.error(request, exc.message)
        return redirect("contributi:upload")
    messages.success(
        request,
        _("%(n)d record salvati come bozza da «%(file)s».")
        % {"n": len(created), "file": report.filename},
    )
    return redirect("contributi:dashboard")


def template_download(request, target_key: str, fmt: str):
    """The template file of interventi or opportunità, GeoJSON or GeoPackage (public)."""
    if target_key not in MODELS or fmt not in CONTENT_TYPES:
        raise Http404
    content, content_type = template_file(target_key, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="modello-{target_key}.{fmt}"'
    return response


ACTIONS = {"invia": "submit", "pubblica": "publish", "rinvia": "send_back", "ritira": "withdraw"}


def action_apply(*, record, user, action: str, read_comment: Callable[[], str]) -> None:
    """Run the workflow service named by the URL's ``action`` (404 when there is none).

    Shared by the page and the REST API. ``read_comment`` is called for ``rinvia`` only: the
    other actions never read the request body (the API would refuse an unparsable one).
    """
    name = ACTIONS.get(action)
    if name is None:
        raise Http404
    kwargs = {"record": record, "user": user}
    if name == "send_back":
        kwargs["comment"] = read_comment()
    getattr(services, f"record_{name}")(**kwargs)


@login_required
@require_POST
def record_action(request, target_key: str, pk: int, action: str):
    """Submit, publish, send back or withdraw one record."""
    _contributor(request)
    record = _record(request, target_key, pk)
    try:
        action_apply(
            record=record,
            user=request.user,
            action=action,
            read_comment=lambda: request.POST.get("review_comment", ""),
        )
    except UserInputError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("«%(record)s»: fatto.") % {"record": record})
    return redirect("contributi:dashboard")


@login_required
def record_edit(request, target_key: str, pk: int):
    """Draw the geometry on the map and change the attributes of one record."""
    _contributor(request)
    record = _record(request, target_key, pk)
    if not can_change(request.user, record):
        raise PermissionDenied(services.NOT_ALLOWED)
    form = edit_form_for(record)(request.POST or None, instance=record)
    error = None
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "geojson"}
        try:
            services.record_update(
                record=record,
                user=request.user,
                values=values,
                geojson=form.cleaned_data.get("geojson") or None,
            )
        except UserInputError as exc:
            error = exc
        else:
            messages.success(request, _("Modifiche salvate: il record è una bozza."))
            return redirect("contributi:dashboard")
    context = {
        "form": form,
        "record": record,
        "target_key": target_key,
        "error": error,
        "geometry": record.geom.json if record.geom else None,
    }
    return render(request, "contributi/edit.html", context, status=400 if error else 200)


@login_required
def record_history(request, target_key: str, pk: int):
    """Who changed what and when (reviewers), with restore of an earlier version."""
    if not can_review(request.user):
        raise PermissionDenied(services.NOT_ALLOWED)
    record = _record(request, target_key, pk)
    if request.method == "POST":
        try:
            services.record_restore(
                record=record, user=request.user, history_id=int(request.POST.get("history_id", 0))
            )
        except (UserInputError, ValueError):
            messages.error(request, services.UNKNOWN_VERSION)
        else:
            messages.success(request, _("Versione ripristinata."))
        return redirect("contributi:history", target_key=target_key, pk=pk)
    versions = record.history.select_related("history_user").order_by("-history_date")
    rows = []
    for version in versions:
        previous = version.prev_record
        changes = version.diff_against(previous).changes if previous else []
        rows.append({"version": version, "changes": changes})
    return render(
        request,
        "contributi/history.html",
        {"record": record, "rows": rows, "target_key": target_key},
    )
