from django.urls import path

from gelar.public import views

app_name = "public"

urlpatterns = [
    path("", views.expo_list, name="expo_list"),
    path("expo/<slug:slug>/", views.expo_home, name="expo_home"),
    path("expo/<slug:slug>/peserta/", views.directory, name="directory"),
    path("expo/<slug:slug>/cari/", views.search, name="search"),
    path("expo/<slug:slug>/denah/", views.floor_plan, name="floor_plan"),
    path("expo/<slug:slug>/stan/<slug:exhibitor_slug>/", views.booth, name="booth"),
    path(
        "expo/<slug:slug>/stan/<slug:exhibitor_slug>/<slug:product_slug>/",
        views.product,
        name="product",
    ),
]
