from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path

from gelar.api.urls import urlpatterns as api_urls
from gelar.ops.media import serve_media

urlpatterns = [
    path("api/", include(api_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
]

if settings.SERVE_MEDIA:
    urlpatterns.append(re_path(r"^media/(?P<path>.*)$", serve_media))

if settings.BENCH_VIEWS:
    from gelar.public.bench_views import bare_view

    urlpatterns.append(path("bench/bare/", bare_view))

# Indonesian at the bare URLs, English under /en/.
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("akun/", include("gelar.accounts.urls")),
    path("akun/", include("allauth.urls")),
    path("console/", include("gelar.console.urls")),
    path("gerbang/", include("gelar.tickets.urls_gate")),
    path("umkm/", include("gelar.dashboard.urls")),
    path("", include("gelar.shop.urls")),
    path("", include("gelar.tickets.urls")),
    path("", include("gelar.pos.urls_receipt")),
    path("", include("gelar.public.urls")),
    prefix_default_language=False,
)

handler404 = "gelar.public.views.page_not_found"
# Not Django's: allauth answers its rate limits (sign-in, sign-up, codes) with this.
handler429 = "gelar.ops.ratelimits.allauth_too_many_requests"
handler500 = "gelar.common.unavailable.server_error"
