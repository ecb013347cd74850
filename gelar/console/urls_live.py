"""The host console: /console/<expo>/live/ (joined in console/urls.py)."""

from django.urls import path

from gelar.console import views_live as views

_session = "<slug:slug>/live/<int:pk>/"

urlpatterns = [
    path("<slug:slug>/live/", views.sessions, name="live_sessions"),
    path(_session, views.console, name="live_console"),
    path(f"{_session}stats/", views.stats, name="live_stats"),
    path(f"{_session}run-sheet/", views.runsheet_add, name="live_runsheet_add"),
    path(
        f"{_session}run-sheet/<int:item_pk>/remove/",
        views.runsheet_remove,
        name="live_runsheet_remove",
    ),
    path(
        f"{_session}run-sheet/<int:item_pk>/up/",
        views.runsheet_move,
        {"direction": "up"},
        name="live_runsheet_up",
    ),
    path(
        f"{_session}run-sheet/<int:item_pk>/down/",
        views.runsheet_move,
        {"direction": "down"},
        name="live_runsheet_down",
    ),
    path(f"{_session}run-sheet/<int:item_pk>/pin/", views.pin, name="live_pin"),
    path(f"{_session}unpin/", views.unpin, name="live_unpin"),
    path(f"{_session}announcement/", views.announce, name="live_announce"),
    path(f"{_session}chat/rules/", views.chat_rules, name="live_chat_rules"),
    path(f"{_session}chat/words/", views.chat_words, name="live_chat_words"),
    path(f"{_session}chat/<int:message_pk>/delete/", views.chat_delete, name="live_chat_delete"),
    path(
        f"{_session}viewers/<int:viewer_pk>/mute/",
        views.viewer_action,
        {"action": "mute"},
        name="live_viewer_mute",
    ),
    path(
        f"{_session}viewers/<int:viewer_pk>/unmute/",
        views.viewer_action,
        {"action": "unmute"},
        name="live_viewer_unmute",
    ),
    path(
        f"{_session}viewers/<int:viewer_pk>/ban/",
        views.viewer_action,
        {"action": "ban"},
        name="live_viewer_ban",
    ),
]
