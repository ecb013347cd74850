from django.contrib import admin

from gelar.events.models import AgendaSession, Booth, Expo, Hall, Organizer, Speaker


@admin.register(Organizer)
class OrganizerAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "region"]
    prepopulated_fields = {"slug": ["short_name"]}
    autocomplete_fields = ["region"]


class AgendaSessionInline(admin.TabularInline):
    model = AgendaSession
    extra = 0
    fields = ["title", "starts_at", "ends_at", "stream_url"]


class HallInline(admin.TabularInline):
    model = Hall
    extra = 0


@admin.register(Expo)
class ExpoAdmin(admin.ModelAdmin):
    list_display = ["name", "organizer", "start_date", "end_date", "status", "venue_booth_quota"]
    list_filter = ["status", "organizer"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["venue_region"]
    inlines = [AgendaSessionInline, HallInline]


class SpeakerInline(admin.TabularInline):
    model = Speaker
    extra = 0


@admin.register(AgendaSession)
class AgendaSessionAdmin(admin.ModelAdmin):
    list_display = ["title", "expo", "starts_at", "ends_at"]
    list_filter = ["expo"]
    inlines = [SpeakerInline]


@admin.register(Booth)
class BoothAdmin(admin.ModelAdmin):
    list_display = ["code", "hall", "x", "y", "width", "height"]
    list_filter = ["hall__expo", "hall"]
