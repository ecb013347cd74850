"""Intake pages of the console: applications, documents, booths, export, audit log."""

from django.urls import path

from gelar.console import views_intake as views

urlpatterns = [
    path("<slug:slug>/applications/", views.applications, name="applications"),
    path("<slug:slug>/applications/<int:pk>/", views.application, name="application"),
    path("<slug:slug>/documents/<int:pk>/", views.document, name="document"),
    path("<slug:slug>/booths/", views.booths, name="booths"),
    path("<slug:slug>/export.<str:fmt>", views.export, name="export"),
    path("<slug:slug>/audit/", views.audit, name="audit"),
]
