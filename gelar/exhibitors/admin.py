from django.contrib import admin

from gelar.exhibitors.models import Category, Exhibitor, ExhibitorLink, Participation


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "slug", "position"]
    prepopulated_fields = {"slug": ["name_en"]}


class ExhibitorLinkInline(admin.TabularInline):
    model = ExhibitorLink
    extra = 0


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0
    raw_id_fields = ["booth"]


@admin.register(Exhibitor)
class ExhibitorAdmin(admin.ModelAdmin):
    list_display = ["name", "owner_name", "category", "region", "nib"]
    list_filter = ["category"]
    search_fields = ["name", "owner_name", "nib"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["region"]
    inlines = [ExhibitorLinkInline, ParticipationInline]


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    list_display = ["exhibitor", "expo", "mode", "status", "booth"]
    list_filter = ["expo", "mode", "status"]
    search_fields = ["exhibitor__name"]
    raw_id_fields = ["exhibitor", "booth"]
