"""ASGI entry point: the live WebSockets (and HTTP, for a single ASGI server).

Pages are served by granian over WSGI (gelar/wsgi.py, docs/adr/0001); this
application adds the viewers' sockets /ws/live/<session id>/. The origin must
be one of ALLOWED_HOSTS, so another site cannot open sockets with a viewer's
cookie.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gelar.settings")
# Django is set up before the consumers import models.
django_application = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from gelar.live.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_application,
        "websocket": AllowedHostsOriginValidator(URLRouter(websocket_urlpatterns)),
    }
)
