from django.urls import path

from gelar.public import views, views_inquiry, views_visit

app_name = "public"

urlpatterns = [
    path("", views.expo_list, name="expo_list"),
    path("expo/<slug:slug>/", views.expo_home, name="expo_home"),
    path("expo/<slug:slug>/peserta/", views.directory, name="directory"),
    path("expo/<slug:slug>/cari/", views.search, name="search"),
    path("expo/<slug:slug>/denah/", views.floor_plan, name="floor_plan"),
    path("expo/<slug:slug>/stan/<slug:exhibitor_slug>/", views.booth, name="booth"),
    # Before the product pages: "grosir" is not taken as a product's slug.
    path(
        "expo/<slug:slug>/stan/<slug:exhibitor_slug>/grosir/",
        views_inquiry.inquiry_new,
        name="inquiry_new",
    ),
    path(
        "expo/<slug:slug>/stan/<slug:exhibitor_slug>/<slug:product_slug>/",
        views.product,
        name="product",
    ),
    path("expo/<slug:slug>/jejak/", views_visit.visit, name="visit"),
    path("permintaan/<str:token>/", views_inquiry.inquiry, name="inquiry"),
]
