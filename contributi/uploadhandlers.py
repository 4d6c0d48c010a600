"""An upload handler that keeps no byte of a file above the upload limit.

Django would otherwise write any upload, however large, to a temporary file before a view
can look at its size. This handler (first in ``FILE_UPLOAD_HANDLERS``) counts each file's
bytes; past :func:`contributi.importers.max_upload_bytes` it stops handing them on and
returns an empty stand-in carrying the real size, so the view answers with the clear
"file too large" message without having stored the file.
"""

from __future__ import annotations

import io

from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler

from contributi.importers.safety import max_upload_bytes

__all__ = ["SizeLimitedUploadHandler"]


class SizeLimitedUploadHandler(FileUploadHandler):
    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0
        self.too_large = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > max_upload_bytes():
            self.too_large = True
            return None  # the following handlers (memory, temporary file) get nothing more
        return raw_data

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if not self.too_large:
            return None
        return UploadedFile(
            io.BytesIO(b""),
            name=self.file_name,
            content_type=self.content_type,
            size=self.received,
            charset=self.charset,
        )
