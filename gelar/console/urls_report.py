"""The organizer's report of an expo: /console/<expo>/report/ (joined in console/urls.py)."""

from django.urls import path

from gelar.console import views_report as views

urlpatterns = [
    path("<slug:slug>/report/", views.report, name="report"),
    path("<slug:slug>/report/live/", views.report_live, name="report_live"),
]
