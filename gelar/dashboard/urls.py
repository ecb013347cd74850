from django.urls import path

from gelar.dashboard import urls_inquiries, urls_orders, urls_payments, urls_report, views
from gelar.pos import urls as urls_pos
from gelar.pos import urls_ops as urls_pos_ops

app_name = "dashboard"

urlpatterns = (
    [
        path("", views.home, name="home"),
        path("baru/", views.create, name="create"),
        path("undangan/<str:token>/", views.invite_accept, name="invite_accept"),
        path("<slug:slug>/", views.exhibitor, name="exhibitor"),
        path("<slug:slug>/profil/", views.profile_edit, name="profile"),
        path("<slug:slug>/dokumen/", views.documents, name="documents"),
        path("<slug:slug>/dokumen/<str:kind>/", views.document, name="document"),
        path("<slug:slug>/produk/", views.products, name="products"),
        path("<slug:slug>/produk/baru/", views.product_create, name="product_create"),
        path("<slug:slug>/produk/impor/", views.product_import, name="product_import"),
        path(
            "<slug:slug>/produk/impor/template.<str:fmt>",
            views.product_import_template,
            name="product_import_template",
        ),
        path("<slug:slug>/produk/<int:pk>/", views.product_edit, name="product_edit"),
        path(
            "<slug:slug>/produk/<int:pk>/foto/<int:image_pk>/",
            views.product_photo,
            name="product_photo",
        ),
        path("<slug:slug>/ikut-expo/", views.apply, name="apply"),
        path("<slug:slug>/ikut-expo/<int:pk>/mundur/", views.withdraw, name="withdraw"),
        path("<slug:slug>/tim/", views.team, name="team"),
        path("<slug:slug>/tim/<int:pk>/hapus/", views.team_remove, name="team_remove"),
        path("<slug:slug>/tim/undangan/<int:pk>/batal/", views.invite_revoke, name="invite_revoke"),
    ]
    + urls_orders.urlpatterns
    + urls_payments.urlpatterns
    + urls_inquiries.urlpatterns
    + urls_report.urlpatterns
    + urls_pos.urlpatterns
    + urls_pos_ops.urlpatterns
)
