"""Uploads served by the app itself (SERVE_MEDIA, the embedded set-up); production's
nginx sends the same headers (deploy/nginx/gelar-locations.conf, location /media/).

What is under MEDIA_ROOT was uploaded by someone: product photos and logos, decoded and
re-encoded as JPEG by Pillow (gelar.catalog.images), so only JPEG pixels should be
there. Should anything else ever land there, it must not run in the site's origin: no
file is ever a page (a sandboxing policy that allows nothing), its type is never
guessed (nosniff), and what is not a raster image is downloaded, not shown. Private
files (legal documents, report exports) are outside MEDIA_ROOT altogether
(gelar.exhibitors.storage; settings refuses a PRIVATE_MEDIA_ROOT inside it).
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.static import serve

RASTER_IMAGES = {"image/jpeg", "image/png", "image/webp", "image/gif"}
MEDIA_POLICY = "default-src 'none'; sandbox"


def serve_media(request: HttpRequest, path: str) -> HttpResponse:
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Content-Security-Policy"] = MEDIA_POLICY
    response["X-Content-Type-Options"] = "nosniff"
    content_type = response.get("Content-Type", "").split(";")[0].strip()
    if response.status_code == 200 and content_type not in RASTER_IMAGES:
        response["Content-Disposition"] = "attachment"
    return response
