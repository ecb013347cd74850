"""The buyer's receipt of a booth sale: /struk/<token>/ (joined into gelar/urls.py)."""

from django.urls import path

from gelar.pos import views

app_name = "pos"

urlpatterns = [
    path("struk/<str:token>/", views.receipt, name="receipt"),
]
