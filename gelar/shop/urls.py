from django.urls import path

from gelar.shop import views

app_name = "shop"

urlpatterns = [
    path("expo/<slug:slug>/keranjang/", views.cart, name="cart"),
    path("expo/<slug:slug>/keranjang/tambah/", views.cart_add, name="cart_add"),
    path("expo/<slug:slug>/checkout/", views.checkout, name="checkout"),
    path("pesanan/<str:token>/", views.order, name="order"),
    path("pesanan/<str:token>/bayar/<str:number>/", views.order_pay, name="order_pay"),
]
