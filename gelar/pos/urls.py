"""The booth's till: /umkm/<slug>/kasir/... (joined into gelar/dashboard/urls.py)."""

from django.urls import path

from gelar.pos import views

urlpatterns = [
    path("<slug:slug>/kasir/", views.till_home, name="pos_home"),
    path("<slug:slug>/kasir/<slug:expo_slug>/", views.till, name="pos_till"),
    path("<slug:slug>/kasir/<slug:expo_slug>/sw.js", views.till_worker, name="pos_worker"),
    path(
        "<slug:slug>/kasir/<slug:expo_slug>/manifest.webmanifest",
        views.till_manifest,
        name="pos_manifest",
    ),
    path("<slug:slug>/kasir/<slug:expo_slug>/qris", views.till_qris, name="pos_qris"),
]
