from django.urls import path

from gelar.tickets import views_gate

app_name = "gate"

urlpatterns = [
    path("", views_gate.gate_scanner, name="scanner"),
    path("sw.js", views_gate.gate_worker, name="worker"),
    path("manifest.webmanifest", views_gate.gate_manifest, name="manifest"),
]
