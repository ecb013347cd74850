"""The report's exports: /console/<expo>/report/exports/ (joined in console/urls.py)."""

from django.urls import path

from gelar.console import views_report_exports as views

urlpatterns = [
    path("<slug:slug>/report/exports/", views.report_exports, name="report_exports"),
    path("<slug:slug>/report/exports/<int:pk>/", views.report_export, name="report_export"),
    path(
        "<slug:slug>/report/exports/<int:pk>/file",
        views.report_export_file,
        name="report_export_file",
    ),
]
