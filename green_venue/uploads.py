"""An upload handler that stops storing a multipart upload once it passes the evidence size limit.

Django's own limits (``DATA_UPLOAD_MAX_MEMORY_SIZE``) leave file parts out, so without this a 50 MB
upload would be spooled to disk in full before the service could refuse it. ``StopUpload`` with
``connection_reset=False`` makes the parser read and discard the rest of the body, so the client gets
the 400 answer instead of a reset connection.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest

# Room for the multipart boundaries and headers around the file.
MULTIPART_OVERHEAD = 64 * 1024


class EvidenceSizeLimitHandler(FileUploadHandler):
    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.received = 0
        self.exceeded = False

    def handle_raw_input(
        self, input_data: Any, META: dict[str, Any], content_length: int, boundary: Any, encoding: Any = None
    ) -> None:
        if content_length > settings.EVIDENCE_MAX_BYTES + MULTIPART_OVERHEAD:
            # Known too large from the header alone: store nothing.
            self.exceeded = True

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        if self.exceeded:
            raise StopUpload(connection_reset=False)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > settings.EVIDENCE_MAX_BYTES:
            self.exceeded = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
