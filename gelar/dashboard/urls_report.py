"""The exhibitor's reports: /umkm/<slug>/laporan/ (joined into gelar/dashboard/urls.py)."""

from django.urls import path

from gelar.dashboard import views_report as views

urlpatterns = [
    path("<slug:slug>/laporan/", views.reports, name="reports"),
    path("<slug:slug>/laporan/<slug:expo_slug>/", views.report, name="report"),
]
