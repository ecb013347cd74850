"""The venue pages: /console/<expo>/venue/ (joined in console/urls.py)."""

from django.urls import path

from gelar.console import views_venue as views

_venue = "<slug:slug>/venue/"

urlpatterns = [
    path(_venue, views.venue, name="venue"),
    path(f"{_venue}slots/<int:pk>/", views.slot_edit, name="venue_slot"),
    path(f"{_venue}slots/<int:pk>/delete/", views.slot_delete, name="venue_slot_delete"),
    path(f"{_venue}invitations/", views.invitations, name="venue_invitations"),
    path(f"{_venue}invitations/import/", views.invitations_import, name="venue_import"),
    path(
        f"{_venue}invitations/<int:pk>/send/", views.invitation_send, name="venue_invitation_send"
    ),
    path(
        f"{_venue}invitations/<int:pk>/new-ticket/",
        views.ticket_reissue,
        name="venue_ticket_reissue",
    ),
    path(f"{_venue}invitations/badges.pdf", views.invitation_badges, name="venue_badges"),
    path(f"{_venue}gates/", views.gates, name="venue_gates"),
    path(f"{_venue}gates/<int:pk>/revoke/", views.gate_revoke, name="venue_gate_revoke"),
]
