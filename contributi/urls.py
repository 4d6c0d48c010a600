"""URLs of the contributions: accounts, pages under /contributi/, API under /api/contributi/."""

from django.urls import include, path

from contributi import apis, views

app_name = "contributi"

_TARGET = "<str:target_key>/<int:pk>"

api_urlpatterns = [
    path("upload/", apis.UploadApi.as_view(), name="api-upload"),
    path("jobs/<uuid:job_id>/", apis.UploadJobApi.as_view(), name="api-job"),
    path(
        "jobs/<uuid:job_id>/<str:action>/",
        apis.UploadJobActionApi.as_view(),
        name="api-job-action",
    ),
    path(f"{_TARGET}/", apis.RecordApi.as_view(), name="api-record"),
    path(f"{_TARGET}/<str:action>/", apis.RecordActionApi.as_view(), name="api-action"),
]

urlpatterns = [
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", views.LogoutView.as_view(), name="logout"),
    path("contributi/", views.dashboard, name="dashboard"),
    path("contributi/carica/", views.upload, name="upload"),
    path("contributi/carica/<uuid:job_id>/", views.upload_job, name="upload-job"),
    path("contributi/carica/<uuid:job_id>/stato/", views.upload_job_status, name="upload-status"),
    path(
        "contributi/carica/<uuid:job_id>/ricontrolla/",
        views.upload_job_recheck,
        name="upload-recheck",
    ),
    path(
        "contributi/carica/<uuid:job_id>/conferma/", views.upload_job_confirm, name="upload-commit"
    ),
    path("contributi/carica/<uuid:job_id>/annulla/", views.upload_job_cancel, name="upload-cancel"),
    path(
        "contributi/modello/<str:target_key>.<str:fmt>",
        views.template_download,
        name="template",
    ),
    path(f"contributi/{_TARGET}/modifica/", views.record_edit, name="edit"),
    path(f"contributi/{_TARGET}/storico/", views.record_history, name="history"),
    path(f"contributi/{_TARGET}/<str:action>/", views.record_action, name="action"),
    path("api/contributi/", include(api_urlpatterns)),
]
