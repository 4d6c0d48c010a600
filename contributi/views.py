"""Pages of the contributions: login, the operator's records, upload with report, review,
edit on the map and history. Thin: each view checks the user through
:mod:`contributi.permissions` and calls one service."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from contributi import jobs, services
from contributi.forms import (
    DeskFilterForm,
    UploadForm,
    edit_form_for,
    funding_formset,
    fundings_from,
)
from contributi.importers import check_size
from contributi.importers.mapping import target
from contributi.models import UploadJob
from contributi.permissions import can_change, can_contribute, can_review, editable_records
from contributi.selectors import (
    comuni_boundaries,
    history_rows,
    neighbour_records,
    record_istat_codes,
    records_search,
    report_preview,
    review_queue,
)
from contributi.templates_files import CONTENT_TYPES, template_file
from remix.errors import UserInputError
from rigenerazione.models import Intervento, Opportunita
from rules.publication import PublicationState

MODELS = {"interventi": Intervento, "opportunita": Opportunita}


class LoginView(auth_views.LoginView):
    """Log in; without a ``next``, an operator lands on their records and a reviewer on the
    review queue (the records waiting for them)."""

    template_name = "contributi/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        user = self.request.user
        if can_review(user):
            return f"{reverse('contributi:dashboard')}?stato={PublicationState.IN_REVISIONE}"
        if can_contribute(user):
            return reverse("contributi:dashboard")
        return super().get_default_redirect_url()


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


DESK_PAGE_SIZE = 50


@login_required
def dashboard(request):
    """The desk: the records the user may edit, searched, filtered and paged (50 a page per
    layer), and the reviewer's queue. Sections with nothing to show are left out."""
    _contributor(request)
    form = DeskFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    found = records_search(
        request.user,
        q=filters.get("q", ""),
        state=filters.get("stato", ""),
        comune=filters.get("comune"),
        layer=filters.get("livello", ""),
        since=filters.get("dal"),
        author=filters.get("autore"),
    )
    query = request.GET.copy()
    pages = {}
    for key, queryset in found.items():
        page = Paginator(queryset, DESK_PAGE_SIZE).get_page(request.GET.get(f"pagina_{key}"))
        if page.paginator.count:
            query.pop(f"pagina_{key}", None)
            pages[key] = {"page": page, "param": f"pagina_{key}", "query": query.urlencode()}
    queue = None
    if can_review(request.user) and not filters:
        waiting = {key: list(items) for key, items in review_queue().items()}
        queue = {key: items for key, items in waiting.items() if items}
    context = {
        "form": form,
        "filtered": bool(filters) and any(filters.values()),
        "pages": pages,
        "queue": queue,
        "is_reviewer": can_review(request.user),
    }
    return render(request, "contributi/dashboard.html", context)


def _mapping_from(post, spec) -> dict[str, str]:
    return {f.name: post[f"map_{f.name}"] for f in spec.fields if f"map_{f.name}" in post}


def _job(request, job_id) -> UploadJob:
    """One of the user's own upload jobs (404 for anyone else's), without the file."""
    return get_object_or_404(UploadJob.objects.defer("data"), pk=job_id, user=request.user)


@login_required
def upload(request):
    """Step 1: the file is kept and its check queued; the job's page follows it."""
    _contributor(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    error = None
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        options = {
            "stated_srid": form.cleaned_data["srid"],
            "stated_encoding": form.cleaned_data["encoding"] or None,
            "make_valid": form.cleaned_data["make_valid"],
            "mapping": _mapping_from(request.POST, target(form.cleaned_data["target"])),
        }
        try:
            check_size(upload_file.name, upload_file.size)
            job = jobs.upload_job_start(
                user=request.user,
                filename=upload_file.name,
                data=upload_file.read(),
                target_key=form.cleaned_data["target"],
                options=options,
            )
        except UserInputError as exc:
            error = exc
        else:
            return redirect("contributi:upload-job", job_id=job.pk)
    status = 400 if (error or form.errors) else 200
    return render(request, "contributi/upload.html", {"form": form, "error": error}, status=status)


@login_required
def upload_job(request, job_id):
    """The job's page: its progress while it runs (polled), then its report or its outcome.
    It survives a reload: everything it shows is read from the job."""
    _contributor(request)
    job = _job(request, job_id)
    if job.phase == UploadJob.Phase.COMMIT and job.status == UploadJob.Status.DONE:
        messages.success(
            request,
            ngettext(
                "%(n)d record salvato come bozza da «%(file)s».",
                "%(n)d record salvati come bozza da «%(file)s».",
                len(job.created_ids),
            )
            % {"n": len(job.created_ids), "file": job.filename},
        )
        return redirect("contributi:dashboard")
    context = {
        "job": job,
        "report": job.report,
        "status": jobs.upload_job_status(job),
        "make_valid": job.options.get("make_valid", False),
    }
    if job.report:
        preview = report_preview(job.report)
        context["preview"] = preview
        context["boundaries"] = comuni_boundaries(
            user=request.user, istat_codes=preview["istat_codes"]
        )
    return render(request, "contributi/upload_job.html", context)


@login_required
def upload_job_status(request, job_id):
    """The job's progress as JSON, for the page's polling and for scripts."""
    _contributor(request)
    return JsonResponse(jobs.upload_job_status(_job(request, job_id)))


@login_required
@require_POST
def upload_job_recheck(request, job_id):
    """The mapping step: check the kept file again with other columns or with make_valid."""
    _contributor(request)
    job = _job(request, job_id)
    try:
        jobs.upload_job_recheck(
            job=job,
            user=request.user,
            mapping=_mapping_from(request.POST, target(job.target_key)),
            make_valid=request.POST.get("make_valid") == "on",
        )
    except UserInputError as exc:
        messages.error(request, exc.message)
    return redirect("contributi:upload-job", job_id=job.pk)


@login_required
@require_POST
def upload_job_confirm(request, job_id):
    """Step 2: queue the commit of the checked file (all or none)."""
    _contributor(request)
    job = _job(request, job_id)
    try:
        jobs.upload_job_confirm(job=job, user=request.user)
    except UserInputError as exc:
        messages.error(request, exc.message)
    return redirect("contributi:upload-job", job_id=job.pk)


@login_required
@require_POST
def upload_job_cancel(request, job_id):
    """Stop the job; a commit stopped half-way stores nothing."""
    _contributor(request)
    job = jobs.upload_job_cancel(job=_job(request, job_id), user=request.user)
    messages.info(request, _("Caricamento di «%(file)s» annullato.") % {"file": job.filename})
    return redirect("contributi:upload")


def template_download(request, target_key: str, fmt: str):
    """The template file of interventi or opportunità, GeoJSON or GeoPackage (public)."""
    if target_key not in MODELS or fmt not in CONTENT_TYPES:
        raise Http404
    content, content_type = template_file(target_key, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="modello-{target_key}.{fmt}"'
    return response


ACTIONS = {"invia": "submit", "pubblica": "publish", "rinvia": "send_back", "ritira": "withdraw"}
# The actions a reviewer cannot take back from the desk: each asks first, on a page of its own.
CONFIRMED = {"pubblica", "rinvia", "ritira"}
ACTION_DONE = {
    "invia": gettext_lazy(
        "«%(record)s» è stato inviato in revisione: i revisori della CMM sono stati avvisati."
    ),
    "pubblica": gettext_lazy("«%(record)s» è pubblicato: ora è sulla mappa e nei dati aperti."),
    "rinvia": gettext_lazy("«%(record)s» è stato rinviato al Comune con la tua nota."),
    "ritira": gettext_lazy(
        "«%(record)s» è stato ritirato: non è più sulla mappa pubblica e resta nello storico."
    ),
}
ACTION_QUESTION = {
    "pubblica": gettext_lazy(
        "Pubblicare «%(record)s»? Sarà visibile a tutti sulla mappa e nei dati aperti."
    ),
    "rinvia": gettext_lazy("Rinviare «%(record)s» al Comune? Scrivi che cosa va corretto."),
    "ritira": gettext_lazy(
        "Ritirare «%(record)s»? Lascerà la mappa pubblica; resterà nello storico."
    ),
}


def action_apply(
    *, record, user, action: str, read_comment: Callable[[], str], link: str = ""
) -> None:
    """Run the workflow service named by the URL's ``action`` (404 when there is none).

    Shared by the page and the REST API. ``read_comment`` is called for ``rinvia``,
    ``pubblica`` and ``ritira`` (the note); ``invia`` never reads the request body (the API
    would refuse an unparsable one). ``link`` is the record's page, for the e-mails.
    """
    name = ACTIONS.get(action)
    if name is None:
        raise Http404
    kwargs = {"record": record, "user": user, "link": link}
    if name == "send_back":
        kwargs["comment"] = read_comment()
    elif name in ("publish", "withdraw") and can_review(user):
        # Read only for a reviewer: anyone else gets the service's 403, not a body error.
        kwargs["note"] = read_comment()
    getattr(services, f"record_{name}")(**kwargs)


@login_required
def record_action(request, target_key: str, pk: int, action: str):
    """Submit, publish, send back or withdraw one record; the irreversible ones are asked
    first (GET shows the question and the note, POST acts)."""
    _contributor(request)
    record = _record(request, target_key, pk)
    if action not in ACTIONS:
        raise Http404
    if request.method != "POST":
        if action not in CONFIRMED:
            return redirect("contributi:dashboard")
        context = {
            "record": record,
            "target_key": target_key,
            "action": action,
            "question": ACTION_QUESTION[action] % {"record": record},
            "note_required": action == "rinvia",
        }
        return render(request, "contributi/action_confirm.html", context)
    link = request.build_absolute_uri(reverse("contributi:edit", args=[target_key, pk]))
    try:
        action_apply(
            record=record,
            user=request.user,
            action=action,
            read_comment=lambda: request.POST.get("review_comment", ""),
            link=link,
        )
    except UserInputError as exc:
        messages.error(request, exc.message)
        if action in CONFIRMED:
            return redirect("contributi:action", target_key=target_key, pk=pk, action=action)
    else:
        messages.success(request, ACTION_DONE[action] % {"record": record})
    return redirect("contributi:dashboard")


@login_required
def record_edit(request, target_key: str, pk: int):
    """Draw the geometry on the map and change the attributes of one record."""
    _contributor(request)
    record = _record(request, target_key, pk)
    if not can_change(request.user, record):
        raise PermissionDenied(services.NOT_ALLOWED)
    form = edit_form_for(record)(request.POST or None, instance=record)
    is_intervento = isinstance(record, Intervento)
    fundings = funding_formset(record, request.POST or None) if is_intervento else None
    error = None
    valid_fundings = fundings is None or fundings.is_valid()
    if request.method == "POST" and form.is_valid() and valid_fundings:
        values = {k: v for k, v in form.cleaned_data.items() if k != "geojson"}
        try:
            services.record_update(
                record=record,
                user=request.user,
                values=values,
                geojson=form.cleaned_data.get("geojson") or None,
                finanziamenti=fundings_from(fundings) if fundings is not None else None,
            )
        except UserInputError as exc:
            error = exc
        else:
            messages.success(
                request,
                _("Modifiche a «%(record)s» salvate: il record è una bozza.") % {"record": record},
            )
            return redirect("contributi:dashboard")
    context = {
        "form": form,
        "fundings": fundings,
        "record": record,
        "target_key": target_key,
        "error": error,
        "geometry": record.geom.json if record.geom else None,
        "boundaries": comuni_boundaries(user=request.user, istat_codes=record_istat_codes(record)),
        "neighbours": neighbour_records(record),
    }
    refused = error or (request.method == "POST" and not (form.is_valid() and valid_fundings))
    return render(request, "contributi/edit.html", context, status=400 if refused else 200)


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
    rows = history_rows(record)
    return render(
        request,
        "contributi/history.html",
        {
            "record": record,
            "rows": rows,
            "target_key": target_key,
            "geometries": [
                {"id": row["version"].history_id, **row["geometry"]}
                for row in rows
                if row["geometry"]
            ],
        },
    )
