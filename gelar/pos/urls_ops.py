"""The booth's back office: labels, closing the day, flagged sales (joined into
gelar/dashboard/urls.py, beside the till's gelar/pos/urls.py)."""

from django.urls import path

from gelar.pos import views_ops as views

urlpatterns = [
    path("<slug:slug>/produk/label/", views.labels, name="pos_labels"),
    path("<slug:slug>/kasir/<slug:expo_slug>/tutup-hari/", views.day, name="pos_day"),
    path("<slug:slug>/kasir/<slug:expo_slug>/perlu-dicek/", views.flagged, name="pos_flagged"),
    path(
        "<slug:slug>/kasir/<slug:expo_slug>/perlu-dicek/<str:number>/selesai/",
        views.sale_resolve,
        name="pos_sale_resolve",
    ),
]
