from django.urls import path

from gelar.tickets import views_public

app_name = "tickets"

urlpatterns = [
    path("expo/<slug:slug>/kunjungan/", views_public.visit, name="visit"),
    path("tiket/<str:secret>/", views_public.ticket, name="ticket"),
    path("tiket/<str:secret>/batal/", views_public.ticket_cancel, name="ticket_cancel"),
    path("tiket/<str:secret>/pdf/", views_public.ticket_download, name="ticket_pdf"),
    path("undangan/<str:token>/", views_public.rsvp, name="rsvp"),
]
