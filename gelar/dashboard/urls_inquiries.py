"""The exhibitor's bulk inquiries and own report of an expo (joined into
gelar/dashboard/urls.py)."""

from django.urls import path

from gelar.dashboard import views_inquiries as views

urlpatterns = [
    path("<slug:slug>/permintaan/", views.inquiries_list, name="inquiries"),
    path("<slug:slug>/permintaan/<int:pk>/", views.inquiry_detail, name="inquiry"),
    path("<slug:slug>/laporan/<slug:expo_slug>/hasil/", views.outcome, name="outcome"),
]
