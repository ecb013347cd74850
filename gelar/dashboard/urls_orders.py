"""The exhibitor's orders: /umkm/<slug>/pesanan/ (joined into gelar/dashboard/urls.py)."""

from django.urls import path

from gelar.dashboard import views_orders as views

urlpatterns = [
    path("<slug:slug>/pesanan/", views.orders_list, name="orders"),
    path("<slug:slug>/pesanan/<slug:number>/", views.order_detail, name="order"),
    path("<slug:slug>/pesanan/<slug:number>/slip/", views.order_slip, name="order_slip"),
    path(
        "<slug:slug>/pesanan/<slug:number>/bayar/",
        views.order_confirm_payment,
        name="order_confirm_payment",
    ),
    path("<slug:slug>/pesanan/<slug:number>/status/", views.order_status, name="order_status"),
    path("<slug:slug>/pesanan/<slug:number>/batal/", views.order_cancel, name="order_cancel"),
    path("<slug:slug>/pesanan/<slug:number>/refund/", views.order_refund, name="order_refund"),
]
