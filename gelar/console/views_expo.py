"""The console's expo side: expos, their status, agenda, floor plan, and categories.

Every view finds its expo or organizer through events.access, so a person
who is not an admin or staff member of the organizer gets a 404, the same
as for an expo that does not exist. Views parse a form, call one service
from events.services, and render.
"""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gelar.console import forms_expo as forms
from gelar.events import access, services
from gelar.events.models import AgendaSession, Booth, Expo, Hall, Organizer, OrganizerMember
from gelar.events.selectors import hall_plan
from gelar.exhibitors.models import Category, Participation
from gelar.public.floorplan import draw_hall

_PENDING = (Participation.Status.APPLIED, Participation.Status.CHANGES_REQUESTED)


def _expo_or_404(request: HttpRequest, slug: str) -> Expo:
    try:
        return access.expo_for_member(user=request.user, expo_slug=slug)
    except Expo.DoesNotExist:
        raise Http404("expo") from None


def _organizer_or_404(request: HttpRequest, slug: str, roles=access.CONSOLE_ROLES) -> Organizer:
    try:
        return access.organizer_for_member(user=request.user, organizer_slug=slug, roles=roles)
    except Organizer.DoesNotExist:
        raise Http404("organizer") from None


def _apply_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError next to the fields it names (or above the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- Home ---


# The console home also lists the organizers where the user is a live-stream host: their
# expos link to the live pages only (the others would be 404s for a host).
HOME_ROLES = (*access.CONSOLE_ROLES, OrganizerMember.Role.HOST)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    organizers = list(access.organizers_of(user=request.user, roles=HOME_ROLES).order_by("name"))
    roles = dict(
        OrganizerMember.objects.filter(user=request.user, organizer__in=organizers).values_list(
            "organizer_id", "role"
        )
    )
    expos = (
        Expo.objects.filter(organizer__in=organizers)
        .annotate(
            pending_count=Count("participations", filter=Q(participations__status__in=_PENDING)),
            accepted_count=Count(
                "participations", filter=Q(participations__status=Participation.Status.ACCEPTED)
            ),
        )
        .order_by("-start_date", "name")
    )
    by_organizer: dict[int, list[Expo]] = {}
    for expo in expos:
        by_organizer.setdefault(expo.organizer_id, []).append(expo)
    sections = [
        {
            "organizer": organizer,
            "role": OrganizerMember.Role(roles[organizer.pk]),
            "expos": by_organizer.get(organizer.pk, []),
        }
        for organizer in organizers
    ]
    return render(request, "console/home.html", {"sections": sections})


# --- Expos ---


def _expo_form_page(request, form, *, expo=None, organizer=None, status=200) -> HttpResponse:
    context = {
        "form": form,
        "expo": expo,
        "organizer": organizer or (expo.organizer if expo else None),
        "region_options": forms.region_options(),
    }
    if expo is not None:
        context["status_targets"] = services.status_targets(status=expo.status)
        context["publish_problems"] = (
            services.publish_problems(expo=expo) if expo.status == Expo.Status.DRAFT else []
        )
    return render(request, "console/expo_form.html", context, status=status)


@login_required
def expo_create(request: HttpRequest, organizer_slug: str) -> HttpResponse:
    organizer = _organizer_or_404(request, organizer_slug)
    if request.method == "POST" and "_regions" in request.POST:
        # No script: the province was picked, show its regencies; nothing is saved yet.
        return _expo_form_page(
            request, forms.ExpoForm(initial=request.POST.dict()), organizer=organizer
        )
    form = forms.ExpoForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        expo = services.expo_create(organizer=organizer, actor=request.user, data=form.expo_data())
        messages.success(request, _("The expo is created as a draft."))
        return redirect("console:expo_edit", expo.slug)
    return _expo_form_page(request, form, organizer=organizer)


@login_required
def expo_edit(request: HttpRequest, slug: str) -> HttpResponse:
    expo = _expo_or_404(request, slug)
    # The form gets its own copy: a ModelForm writes the typed values into its
    # instance, and the page's header must keep showing the saved expo.
    copy = Expo.objects.select_related("venue_region").get(pk=expo.pk)
    if request.method == "POST" and "_regions" in request.POST:
        form = forms.ExpoForm(initial=request.POST.dict(), instance=copy)
        return _expo_form_page(request, form, expo=expo)
    form = forms.ExpoForm(request.POST or None, instance=copy)
    if request.method == "POST" and form.is_valid():
        expo = services.expo_update(expo=expo, actor=request.user, data=form.expo_data())
        messages.success(request, _("The expo is saved."))
        return redirect("console:expo_edit", expo.slug)
    return _expo_form_page(request, form, expo=expo)


def _status_labels() -> dict[str, tuple[str, str]]:
    # (button, question) per target status.
    return {
        Expo.Status.PUBLISHED: (
            _("Publish"),
            _("Publish the expo? Visitors will see it and exhibitors can apply."),
        ),
        Expo.Status.LIVE: (_("Go live"), _("Mark the expo as live now?")),
        Expo.Status.CLOSED: (
            _("Close"),
            _("Close the expo? It cannot be reopened; its booths stay as a virtual mall."),
        ),
        Expo.Status.DRAFT: (
            _("Back to draft"),
            _("Take the expo back to draft? Visitors will no longer see it."),
        ),
    }


@login_required
def expo_status(request: HttpRequest, slug: str, status: str) -> HttpResponse:
    expo = _expo_or_404(request, slug)
    if status not in Expo.Status.values:
        raise Http404("status")
    button, question = _status_labels()[status]
    if request.method == "POST":
        try:
            services.expo_set_status(expo=expo, status=status, actor=request.user)
        except services.ExpoActionError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("The expo is now %(status)s.") % {"status": Expo.Status(status).label},
            )
        return redirect("console:expo_edit", expo.slug)
    return render(
        request,
        "console/confirm.html",
        {
            "expo": expo,
            "question": question,
            "button": button,
            "cancel_url": reverse("console:expo_edit", args=[expo.slug]),
            "danger": status in (Expo.Status.CLOSED, Expo.Status.DRAFT),
        },
    )


# --- Agenda ---


def _session_or_404(expo: Expo, pk: int) -> AgendaSession:
    try:
        return expo.sessions.get(pk=pk)
    except AgendaSession.DoesNotExist:
        raise Http404("session") from None


def _save_session_form(request, expo, form, *, save, message: str) -> HttpResponse | None:
    """On a valid POST, save through the service: the redirect, or None to re-render."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        save(actor=request.user, data=form.session_data(), speakers=form.cleaned_data["speakers"])
    except ValidationError as error:
        _apply_errors(form, error)
        return None
    messages.success(request, message)
    return redirect("console:agenda", expo.slug)


@login_required
def agenda(request: HttpRequest, slug: str) -> HttpResponse:
    expo = _expo_or_404(request, slug)
    # Times are typed and shown in the expo's own zone (WIB, WITA or WIT).
    with timezone.override(expo.tzinfo):
        form = forms.SessionForm(request.POST or None, instance=AgendaSession(expo=expo))
        saved = _save_session_form(
            request,
            expo,
            form,
            save=partial(services.session_create, expo=expo),
            message=_("The session is added to the agenda."),
        )
        if saved:
            return saved
        sessions = expo.sessions.prefetch_related("speakers")
        return render(
            request,
            "console/agenda.html",
            {"expo": expo, "form": form, "sessions": sessions, "zone": expo.time_zone},
        )


@login_required
def session_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    expo = _expo_or_404(request, slug)
    session = _session_or_404(expo, pk)
    with timezone.override(expo.tzinfo):
        # The form gets its own copy: an invalid POST must not show up in the heading.
        form = forms.SessionForm(request.POST or None, instance=_session_or_404(expo, pk))
        saved = _save_session_form(
            request,
            expo,
            form,
            save=partial(services.session_update, session=session),
            message=_("The session is saved."),
        )
        if saved:
            return saved
        return render(
            request,
            "console/session_form.html",
            {"expo": expo, "form": form, "session": session, "zone": expo.time_zone},
        )


@login_required
def session_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    expo = _expo_or_404(request, slug)
    session = _session_or_404(expo, pk)
    if request.method == "POST":
        services.session_delete(session=session, actor=request.user)
        messages.success(request, _("The session is deleted."))
        return redirect("console:agenda", expo.slug)
    return render(
        request,
        "console/confirm.html",
        {
            "expo": expo,
            "question": _("Delete the session “%(title)s”?") % {"title": session.title},
            "button": _("Delete"),
            "cancel_url": reverse("console:agenda", args=[expo.slug]),
            "danger": True,
        },
    )


# --- Floor plan ---


def _hall_or_404(expo: Expo, pk: int) -> Hall:
    try:
        return expo.halls.get(pk=pk)
    except Hall.DoesNotExist:
        raise Http404("hall") from None


def _booth_or_404(expo: Expo, pk: int) -> Booth:
    try:
        return Booth.objects.select_related("hall").get(hall__expo=expo, pk=pk)
    except Booth.DoesNotExist:
        raise Http404("booth") from None


def _booth_rows(hall: Hall) -> list[dict]:
    """The hall's booths with whoever holds each (also applicants not decided yet)."""
    holders = {
        p.booth_id: p
        for p in Participation.objects.filter(booth__hall=hall).select_related("exhibitor")
    }
    return [
        {"booth": booth, "participation": holders.get(booth.pk)}
        for booth in hall.booths.order_by("code", "pk")
    ]


def _quota(expo: Expo) -> dict:
    booths = Booth.objects.filter(hall__expo=expo).count()
    return {"booths": booths, "quota": expo.venue_booth_quota}


@login_required
def floor_plan_edit(request: HttpRequest, slug: str) -> HttpResponse:
    expo = _expo_or_404(request, slug)
    form = forms.HallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        hall = services.hall_create(expo=expo, actor=request.user, data=form.cleaned_data)
        messages.success(request, _("The hall is added: now place its booths."))
        return redirect("console:hall_edit", expo.slug, hall.pk)
    halls = [
        {"hall": hall, "drawing": draw_hall(hall_plan(hall=hall), empty_label=_("Empty"))}
        for hall in expo.halls.all()
    ]
    return render(
        request,
        "console/floor_plan.html",
        {"expo": expo, "form": form, "halls": halls, **_quota(expo)},
    )


def _hall_page(request, expo: Expo, hall: Hall, *, status: int = 200, **forms_) -> HttpResponse:
    context = {
        "expo": expo,
        "hall": hall,
        "hall_form": forms_.get("hall_form") or forms.HallForm(instance=hall),
        "booth_form": forms_.get("booth_form") or forms.BoothForm(),
        "grid_form": forms_.get("grid_form") or forms.BoothGridForm(),
        "drawing": draw_hall(hall_plan(hall=hall), empty_label=_("Empty")),
        "rows": _booth_rows(hall),
        **_quota(expo),
    }
    return render(request, "console/hall.html", context, status=status)


@login_required
def hall_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    expo = _expo_or_404(request, slug)
    hall = _hall_or_404(expo, pk)
    if request.method != "POST":
        return _hall_page(request, expo, hall)
    form = forms.HallForm(request.POST, instance=_hall_or_404(expo, pk))
    if form.is_valid():
        try:
            services.hall_update(hall=hall, actor=request.user, data=form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The hall is saved."))
            return redirect("console:hall_edit", expo.slug, hall.pk)
    return _hall_page(request, expo, hall, hall_form=form)


@login_required
def hall_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    expo = _expo_or_404(request, slug)
    hall = _hall_or_404(expo, pk)
    if request.method == "POST":
        try:
            services.hall_delete(hall=hall, actor=request.user)
        except services.ExpoActionError as error:
            messages.error(request, error.message)
            return redirect("console:hall_edit", expo.slug, hall.pk)
        messages.success(request, _("The hall and its booths are deleted."))
        return redirect("console:floor_plan_edit", expo.slug)
    return render(
        request,
        "console/confirm.html",
        {
            "expo": expo,
            "question": _("Delete the hall “%(name)s” and its %(count)s booths?")
            % {"name": hall.name, "count": hall.booths.count()},
            "button": _("Delete"),
            "cancel_url": reverse("console:hall_edit", args=[expo.slug, hall.pk]),
            "danger": True,
        },
    )


@login_required
def booth_create(request: HttpRequest, slug: str, hall_pk: int) -> HttpResponse:
    expo = _expo_or_404(request, slug)
    hall = _hall_or_404(expo, hall_pk)
    if request.method != "POST":
        return redirect("console:hall_edit", expo.slug, hall.pk)
    form = forms.BoothForm(request.POST, instance=Booth(hall=hall))
    if form.is_valid():
        try:
            booth = services.booth_create(hall=hall, actor=request.user, data=form.booth_data())
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Booth %(code)s is added.") % {"code": booth.code})
            return redirect("console:hall_edit", expo.slug, hall.pk)
    return _hall_page(request, expo, hall, booth_form=form)


@login_required
def booth_grid(request: HttpRequest, slug: str, hall_pk: int) -> HttpResponse:
    expo = _expo_or_404(request, slug)
    hall = _hall_or_404(expo, hall_pk)
    if request.method != "POST":
        return redirect("console:hall_edit", expo.slug, hall.pk)
    form = forms.BoothGridForm(request.POST)
    if form.is_valid():
        try:
            booths = services.booth_grid_create(
                hall=hall, actor=request.user, grid=services.BoothGrid(**form.cleaned_data)
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                _("%(count)s booths are added: %(first)s to %(last)s.")
                % {"count": len(booths), "first": booths[0].code, "last": booths[-1].code},
            )
            return redirect("console:hall_edit", expo.slug, hall.pk)
    return _hall_page(request, expo, hall, grid_form=form)


@login_required
def booth_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    expo = _expo_or_404(request, slug)
    booth = _booth_or_404(expo, pk)
    form = forms.BoothForm(request.POST or None, instance=_booth_or_404(expo, pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.booth_update(booth=booth, actor=request.user, data=form.booth_data())
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Booth %(code)s is saved.") % {"code": form.instance.code})
            return redirect("console:hall_edit", expo.slug, booth.hall_id)
    return render(
        request,
        "console/booth_form.html",
        {"expo": expo, "hall": booth.hall, "booth": booth, "form": form},
    )


@login_required
def booth_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    expo = _expo_or_404(request, slug)
    booth = _booth_or_404(expo, pk)
    if request.method == "POST":
        try:
            services.booth_delete(booth=booth, actor=request.user)
        except services.ExpoActionError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Booth %(code)s is deleted.") % {"code": booth.code})
        return redirect("console:hall_edit", expo.slug, booth.hall_id)
    return render(
        request,
        "console/confirm.html",
        {
            "expo": expo,
            "question": _("Delete booth %(code)s?") % {"code": booth.code},
            "button": _("Delete"),
            "cancel_url": reverse("console:hall_edit", args=[expo.slug, booth.hall_id]),
            "danger": True,
        },
    )


# --- Categories: global, so only organizer admins change them ---


def _categories_page(request, organizer, form, *, editing=None) -> HttpResponse:
    categories = Category.objects.annotate(exhibitor_count=Count("exhibitors"))
    return render(
        request,
        "console/categories.html",
        {"organizer": organizer, "form": form, "categories": categories, "editing": editing},
    )


@login_required
def categories(request: HttpRequest, organizer_slug: str) -> HttpResponse:
    organizer = _organizer_or_404(request, organizer_slug, roles=[OrganizerMember.Role.ADMIN])
    form = forms.CategoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.category_create(organizer=organizer, actor=request.user, data=form.cleaned_data)
        messages.success(request, _("The category is added."))
        return redirect("console:categories", organizer.slug)
    return _categories_page(request, organizer, form)


@login_required
def category_edit(request: HttpRequest, organizer_slug: str, pk: int) -> HttpResponse:
    organizer = _organizer_or_404(request, organizer_slug, roles=[OrganizerMember.Role.ADMIN])
    try:
        category = Category.objects.get(pk=pk)
    except Category.DoesNotExist:
        raise Http404("category") from None
    form = forms.CategoryForm(request.POST or None, instance=Category.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        services.category_update(
            category=category, organizer=organizer, actor=request.user, data=form.cleaned_data
        )
        messages.success(request, _("The category is saved."))
        return redirect("console:categories", organizer.slug)
    return _categories_page(request, organizer, form, editing=category)
