from django.urls import path

from gelar.dashboard import views_payments

urlpatterns = [
    path(
        "<slug:slug>/pembayaran/",
        views_payments.payment_settings,
        name="payment_settings",
    ),
]
