"""The one size limit of uploaded files (`ASPA_MAX_UPLOAD_BYTES`): the importers read a file whole.

Django's DATA_UPLOAD_MAX_MEMORY_SIZE does not cover files (they go to a temporary file), so every place
that takes a file checks it here, with the same message.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

ERR_FILE_TOO_LARGE = gettext_noop("The file is larger than the limit of %(limit)s MB.")


def upload_too_large(size: int) -> bool:
    return size > settings.ASPA_MAX_UPLOAD_BYTES


def upload_too_large_message() -> str:
    return _(ERR_FILE_TOO_LARGE) % {"limit": f"{settings.ASPA_MAX_UPLOAD_BYTES / 1024 / 1024:g}"}
