from django.urls import path

from gelar.live.consumers import LiveConsumer

websocket_urlpatterns = [
    path("ws/live/<int:session_id>/", LiveConsumer.as_asgi()),
]
