"""REST API of the contributions (``/api/contributi/…``), for scripts with a token.

- ``POST upload/`` (multipart): ``file``, ``target`` (interventi|opportunita), optional
  ``srid``, ``encoding``, ``make_valid``, ``map_<field>`` and ``commit``; answers the
  per-feature report, and with ``commit=true`` and no errors stores drafts (201). This
  synchronous mode stays for small files and existing scripts; with ``background=true`` the
  check runs as a job of the queue instead: 202, with the job's URL in ``Location``.
- ``GET jobs/<id>/``: a job's progress (and its report once checked); ``POST
  jobs/<id>/confirm/`` commits a clean report in the background, ``POST jobs/<id>/cancel/``
  stops the job (a commit stopped half-way stores nothing).
- ``PATCH <target>/<id>/``: change title, description, stato and/or ``geometry`` (GeoJSON).
- ``POST <target>/<id>/<action>/``: ``invia``, ``pubblica``, ``rinvia`` (``review_comment``,
  required), ``ritira``; ``pubblica`` and ``ritira`` take an optional ``review_comment`` note
  kept in the history. The reviewers (on ``invia``) and the author (on ``pubblica`` and
  ``rinvia``) are e-mailed.
Every view uses :mod:`contributi.permissions`; anonymous users get 401/403.
"""

from __future__ import annotations

import json

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from contributi import jobs, services
from contributi.importers import check_size, upload_report
from contributi.importers.mapping import TARGETS, target
from contributi.models import UploadJob
from contributi.permissions import CanChangeRecord, IsContributor, editable_records
from contributi.views import MODELS, action_apply
from layers.rest import StrictQueryParamsMixin

__all__ = ["UploadApi", "UploadJobApi", "UploadJobActionApi", "RecordApi", "RecordActionApi"]


class UploadInput(serializers.Serializer):
    file = serializers.FileField()
    target = serializers.ChoiceField(choices=list(TARGETS))
    srid = serializers.IntegerField(required=False, allow_null=True)
    encoding = serializers.CharField(required=False, allow_blank=True)
    make_valid = serializers.BooleanField(required=False, default=False)
    commit = serializers.BooleanField(required=False, default=False)
    background = serializers.BooleanField(required=False, default=False)


class UploadApi(StrictQueryParamsMixin, APIView):
    permission_classes = [IsContributor]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": UploadInput},
        responses=OpenApiTypes.OBJECT,
        summary="Carica un file: rapporto per elemento e, con commit, bozze",
    )
    def post(self, request):
        data = UploadInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        upload = values["file"]
        check_size(upload.name, upload.size)
        spec = target(values["target"])
        mapping = {
            f.name: request.data[f"map_{f.name}"]
            for f in spec.fields
            if f"map_{f.name}" in request.data
        }
        options = {
            "stated_srid": values.get("srid"),
            "stated_encoding": values.get("encoding") or None,
            "mapping": mapping,
            "make_valid": values["make_valid"],
        }
        if values["background"]:
            job = jobs.upload_job_start(
                user=request.user,
                filename=upload.name,
                data=upload.read(),
                target_key=spec.key,
                options=options,
            )
            return _job_response(request, job, status.HTTP_202_ACCEPTED)
        report = upload_report(
            filename=upload.name,
            data=upload.read(),
            target_key=spec.key,
            user=request.user,
            **options,
        )
        body = report.as_dict()
        if not values["commit"]:
            return Response(body, status=status.HTTP_200_OK if report.ok else 400)
        if not report.ok:
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        created = services.upload_commit(report=report, user=request.user)
        body["created"] = [record.pk for record in created]
        return Response(body, status=status.HTTP_201_CREATED)


def _job_response(request, job, code: int = status.HTTP_200_OK) -> Response:
    body = jobs.upload_job_status(job)
    body["url"] = request.build_absolute_uri(reverse("contributi:api-job", args=[job.pk]))
    body["page"] = request.build_absolute_uri(reverse("contributi:upload-job", args=[job.pk]))
    if job.report is not None:
        body["report"] = job.report
    return Response(body, status=code, headers={"Location": body["url"]})


def _own_job(request, job_id) -> UploadJob:
    return get_object_or_404(UploadJob.objects.defer("data"), pk=job_id, user=request.user)


class UploadJobApi(StrictQueryParamsMixin, APIView):
    """An upload job's status, and its report once checked."""

    permission_classes = [IsContributor]

    @extend_schema(responses=OpenApiTypes.OBJECT, summary="Stato di un caricamento in corso")
    def get(self, request, job_id):
        return _job_response(request, _own_job(request, job_id))


class UploadJobActionApi(StrictQueryParamsMixin, APIView):
    """``confirm``: commit a clean report in the background; ``cancel``: stop the job."""

    permission_classes = [IsContributor]
    parser_classes = [JSONParser, FormParser]

    @extend_schema(request=None, responses=OpenApiTypes.OBJECT, summary="confirm | cancel")
    def post(self, request, job_id, action: str):
        job = _own_job(request, job_id)
        if action == "confirm":
            job = jobs.upload_job_confirm(job=job, user=request.user)
        elif action == "cancel":
            job = jobs.upload_job_cancel(job=job, user=request.user)
        else:
            raise Http404
        return _job_response(request, job, status.HTTP_202_ACCEPTED)


class RecordInput(serializers.Serializer):
    title = serializers.CharField(required=False, max_length=300)
    description = serializers.CharField(required=False, allow_blank=True)
    stato = serializers.CharField(required=False)
    geometry = serializers.JSONField(required=False)


def _record(request, target_key: str, pk: int, view):
    model = MODELS.get(target_key)
    if model is None:
        raise Http404
    record = get_object_or_404(editable_records(request.user, model.objects.all()), pk=pk)
    view.check_object_permissions(request, record)
    return record


class RecordApi(StrictQueryParamsMixin, APIView):
    permission_classes = [CanChangeRecord]
    parser_classes = [JSONParser]

    @extend_schema(
        request=RecordInput,
        responses=OpenApiTypes.OBJECT,
        summary="Modifica attributi e geometria di un record (torna bozza)",
    )
    def patch(self, request, target_key: str, pk: int):
        record = _record(request, target_key, pk, self)
        data = RecordInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = {k: v for k, v in data.validated_data.items() if k != "geometry"}
        geometry = data.validated_data.get("geometry")
        services.record_update(
            record=record,
            user=request.user,
            values=values,
            geojson=json.dumps(geometry) if geometry is not None else None,
        )
        return Response({"id": record.pk, "publication_state": record.publication_state})


class RecordActionApi(StrictQueryParamsMixin, APIView):
    permission_classes = [IsContributor]
    parser_classes = [JSONParser, FormParser]

    @extend_schema(
        request=None,
        responses=OpenApiTypes.OBJECT,
        summary="invia | pubblica | rinvia (review_comment) | ritira",
    )
    def post(self, request, target_key: str, pk: int, action: str):
        record = _record(request, target_key, pk, self)
        action_apply(
            record=record,
            user=request.user,
            action=action,
            read_comment=lambda: request.data.get("review_comment", ""),
            link=request.build_absolute_uri(reverse("contributi:edit", args=[target_key, pk])),
        )
        record.refresh_from_db()
        return Response(
            {
                "id": record.pk,
                "publication_state": record.publication_state,
                "withdrawn_on": record.withdrawn_on,
            }
        )
