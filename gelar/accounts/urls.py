from django.urls import path

from gelar.accounts import views

app_name = "accounts"

urlpatterns = [
    path("beranda/", views.home, name="home"),
    # Before allauth's own (same path, included after this): adds Clear-Site-Data.
    path("logout/", views.logout, name="logout"),
]
