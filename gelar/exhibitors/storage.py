"""Where exhibitors' private files live: legal documents are not media.

MEDIA_ROOT is served to anyone by URL (gelar/urls.py in the embedded set-up,
nginx in production); these files are under PRIVATE_MEDIA_ROOT instead and are
read only through views that check who asks.
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    def url(self, name):
        # A public URL would bypass the access check: fail loudly instead.
        raise ValueError("Private files have no URL; stream them through a view.")


def private_storage() -> PrivateStorage:
    return PrivateStorage(location=settings.PRIVATE_MEDIA_ROOT)
