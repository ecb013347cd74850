"""The organizer's orders of an expo: /console/<expo>/orders/ (joined in console/urls.py)."""

from django.urls import path

from gelar.console import views_orders as views

urlpatterns = [
    path("<slug:slug>/orders/", views.orders_list, name="orders"),
    path("<slug:slug>/orders/export.csv", views.orders_export, name="orders_export"),
    path("<slug:slug>/orders/<slug:number>/", views.order_detail, name="order"),
    path(
        "<slug:slug>/orders/<slug:number>/confirm-payment/",
        views.order_confirm_payment,
        name="order_confirm_payment",
    ),
    path("<slug:slug>/orders/<slug:number>/cancel/", views.order_cancel, name="order_cancel"),
    path("<slug:slug>/orders/<slug:number>/refund/", views.order_refund, name="order_refund"),
]
