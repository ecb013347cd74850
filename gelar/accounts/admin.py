from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from gelar.accounts.models import User


@admin.register(User)
class GelarUserAdmin(UserAdmin):
    fieldsets = UserAdmin.fieldsets + (
        ("Gelar", {"fields": ("full_name", "phone", "phone_verified")}),
    )
    list_display = ["username", "full_name", "email", "phone", "is_staff"]
    search_fields = ["username", "full_name", "email", "phone"]
