from django.urls import path

from gelar.accounts import views

app_name = "accounts"

urlpatterns = [
    path("beranda/", views.home, name="home"),
]
