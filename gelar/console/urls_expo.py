"""The console's expo side; the names are in the `console` namespace (see console/urls.py)."""

from django.urls import path

from gelar.console import views_expo as views

urlpatterns = [
    path("", views.home, name="home"),
    path("org/<slug:organizer_slug>/expos/new/", views.expo_create, name="expo_create"),
    path("org/<slug:organizer_slug>/categories/", views.categories, name="categories"),
    path(
        "org/<slug:organizer_slug>/categories/<int:pk>/",
        views.category_edit,
        name="category_edit",
    ),
    path("<slug:slug>/", views.expo_edit, name="expo_edit"),
    path("<slug:slug>/status/<str:status>/", views.expo_status, name="expo_status"),
    path("<slug:slug>/agenda/", views.agenda, name="agenda"),
    path("<slug:slug>/agenda/<int:pk>/", views.session_edit, name="session_edit"),
    path("<slug:slug>/agenda/<int:pk>/delete/", views.session_delete, name="session_delete"),
    path("<slug:slug>/floor-plan/", views.floor_plan_edit, name="floor_plan_edit"),
    path("<slug:slug>/floor-plan/halls/<int:pk>/", views.hall_edit, name="hall_edit"),
    path("<slug:slug>/floor-plan/halls/<int:pk>/delete/", views.hall_delete, name="hall_delete"),
    path(
        "<slug:slug>/floor-plan/halls/<int:hall_pk>/booths/new/",
        views.booth_create,
        name="booth_create",
    ),
    path("<slug:slug>/floor-plan/halls/<int:hall_pk>/grid/", views.booth_grid, name="booth_grid"),
    path("<slug:slug>/floor-plan/booths/<int:pk>/", views.booth_edit, name="booth_edit"),
    path("<slug:slug>/floor-plan/booths/<int:pk>/delete/", views.booth_delete, name="booth_delete"),
]
