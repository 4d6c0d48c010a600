"""Helpers of the contribution tests: an upload through the API or the web form, and a
recording HTTP server."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.core.files.uploadedfile import SimpleUploadedFile

from contributi.jobs import upload_job_run

UPLOAD_URL = "/api/contributi/upload/"
UPLOAD_PAGE = "/contributi/carica/"


def post_upload(client, name: str, data: bytes, *, target="interventi", commit=True, **extra):
    """POST a file to the upload API as the logged-in user and return the response."""
    payload = {
        "file": SimpleUploadedFile(name, data),
        "target": target,
        "commit": "true" if commit else "false",
        **extra,
    }
    return client.post(UPLOAD_URL, payload)


def web_upload(client, name: str, data: bytes, *, target="interventi", **extra):
    """POST a file to the web form as the logged-in user; when the form queues a job, run it
    here as the worker's task does (``contributi.jobs.upload_job_run``) and return the job's
    page, otherwise the form's own answer."""
    payload = {"file": SimpleUploadedFile(name, data), "target": target, **extra}
    response = client.post(UPLOAD_PAGE, payload)
    if response.status_code != 302 or not response.url.startswith(UPLOAD_PAGE):
        return response
    job_id = response.url.removeprefix(UPLOAD_PAGE).strip("/")
    upload_job_run(job_id)
    return client.get(response.url)


@contextmanager
def recording_server() -> Iterator[tuple[str, list[str]]]:
    """A loopback HTTP server that records every path requested: GDAL must request none."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b'{"type": "FeatureCollection", "features": []}')

        do_HEAD = do_GET  # noqa: N815

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()
