"""The exhibitor's self-service dashboard (/umkm/), built for a phone.

Every page finds the business through exhibitor_for_member: someone outside
the team gets a 404, the same answer as for a business that does not exist.
Views parse input with a form, call one service, render.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from gelar.catalog import imports
from gelar.catalog import services as catalog
from gelar.catalog.models import Product, ProductImage
from gelar.dashboard import forms
from gelar.events.models import Expo
from gelar.exhibitors.access import OWNER_ONLY, TEAM_ROLES, exhibitor_for_member, exhibitors_of
from gelar.exhibitors.models import (
    Exhibitor,
    ExhibitorDocument,
    ExhibitorInvite,
    ExhibitorMember,
    Participation,
)
from gelar.exhibitors.services import participation as participations
from gelar.exhibitors.services import profile
from gelar.regions.models import Regency


def _exhibitor(request: HttpRequest, slug: str, *, owner_only: bool = False) -> Exhibitor:
    try:
        return exhibitor_for_member(
            user=request.user, exhibitor_slug=slug, roles=OWNER_ONLY if owner_only else TEAM_ROLES
        )
    except Exhibitor.DoesNotExist:
        raise Http404("exhibitor") from None


def _render(request, template: str, exhibitor: Exhibitor, status: int = 200, **context):
    is_owner = ExhibitorMember.objects.filter(
        exhibitor=exhibitor, user=request.user, role=ExhibitorMember.Role.OWNER
    ).exists()
    return render(
        request,
        template,
        {"exhibitor": exhibitor, "is_owner": is_owner, **context},
        status=status,
    )


def _add_service_error(form, error) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, ValidationError(error.message, code=error.code or None))


# --- home and the first business ---


@login_required
def home(request: HttpRequest) -> HttpResponse:
    businesses = list(exhibitors_of(user=request.user).order_by("name"))
    if len(businesses) == 1:
        return redirect("dashboard:exhibitor", businesses[0].slug)
    return render(
        request,
        "dashboard/home.html",
        {
            "businesses": businesses,
            "form": forms.ExhibitorCreateForm(),
            "regency_options": _regency_options(),
        },
    )


@login_required
def create(request: HttpRequest) -> HttpResponse:
    form = forms.ExhibitorCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            exhibitor = profile.exhibitor_create(user=request.user, fields=form.profile_fields())
        except profile.ProfileError as error:
            _add_service_error(form, error)
        else:
            messages.success(
                request, _("Your business is registered. Next: add products and your NIB.")
            )
            return redirect("dashboard:exhibitor", exhibitor.slug)
    return render(
        request,
        "dashboard/create.html",
        {"form": form, "regency_options": _regency_options()},
    )


# --- overview ---


@login_required
def exhibitor(request: HttpRequest, slug: str) -> HttpResponse:
    business = _exhibitor(request, slug)
    has_product_photo = Product.objects.filter(exhibitor=business, images__isnull=False).exists()
    checklist = [
        (_("Logo"), bool(business.logo), "dashboard:profile"),
        (_("Description of the business"), bool(business.description.strip()), "dashboard:profile"),
        (_("WhatsApp number"), bool(business.whatsapp), "dashboard:profile"),
        (_("NIB"), bool(business.nib), "dashboard:documents"),
        (_("At least one product with a photo"), has_product_photo, "dashboard:products"),
    ]
    applications = (
        Participation.objects.filter(exhibitor=business)
        .select_related("expo", "booth")
        .order_by("-applied_at", "-pk")
    )
    return _render(
        request,
        "dashboard/exhibitor.html",
        business,
        checklist=checklist,
        complete=sum(done for _label, done, _url in checklist),
        applications=applications,
        product_count=Product.objects.filter(exhibitor=business).count(),
    )


# --- business profile ---


def _regency_options() -> dict[str, list[tuple[str, str]]]:
    """Province code -> [(regency code, name)]: all 514, for the picker's script."""
    options: dict[str, list[tuple[str, str]]] = {}
    for code, name, province in Regency.objects.order_by("name").values_list(
        "code", "name", "province_id"
    ):
        options.setdefault(province, []).append((code, name))
    return options


@login_required
def profile_edit(request: HttpRequest, slug: str) -> HttpResponse:
    business = _exhibitor(request, slug)
    initial = {
        **{name: getattr(business, name) for name in profile.PROFILE_FIELDS},
        "category": business.category_id,
        "region": business.region_id,
        # Shown the way people write it at home: 0812..., stored as 62812...
        "whatsapp": "0" + business.whatsapp[2:]
        if business.whatsapp.startswith("62")
        else business.whatsapp,
        "province": business.region.province_id,
    }
    links = [{"kind": link.kind, "url": link.url} for link in business.links.all()]
    if request.method == "POST":
        form = forms.ProfileForm(request.POST, request.FILES, initial=initial)
        formset = forms.LinkFormSet(request.POST, prefix="links", initial=links)
        if form.is_valid() and formset.is_valid():
            try:
                profile.exhibitor_update(
                    exhibitor=business,
                    actor=request.user,
                    fields=form.profile_fields(),
                    logo=form.cleaned_data.get("logo"),
                    links=forms.links_of(formset),
                )
            except profile.ProfileError as error:
                _add_service_error(form, error)
            else:
                messages.success(request, _("The profile is saved."))
                return redirect("dashboard:exhibitor", business.slug)
    else:
        form = forms.ProfileForm(initial=initial)
        formset = forms.LinkFormSet(prefix="links", initial=links)
    return _render(
        request,
        "dashboard/profile.html",
        business,
        form=form,
        formset=formset,
        regency_options=_regency_options(),
    )


# --- legal documents ---

DOCUMENT_KINDS = [kind.value for kind in ExhibitorDocument.Kind]


@login_required
def documents(request: HttpRequest, slug: str) -> HttpResponse:
    business = _exhibitor(request, slug)
    existing = {document.kind: document for document in business.documents.all()}

    def initial(kind):
        document = existing.get(kind)
        number = document.number if document else ""
        if kind == ExhibitorDocument.Kind.NIB:
            number = business.nib or number
        return {"number": number}

    data = (request.POST, request.FILES) if request.method == "POST" else ()
    document_forms = [
        forms.DocumentForm(*data, kind=kind, initial=initial(kind)) for kind in DOCUMENT_KINDS
    ]
    if request.method == "POST" and all([form.is_valid() for form in document_forms]):
        entries = [
            profile.DocumentInput(
                kind=form.kind,
                number=form.cleaned_data["number"],
                file=form.cleaned_data["file"],
                remove_file=form.cleaned_data["remove_file"],
            )
            for form in document_forms
        ]
        try:
            profile.documents_save(exhibitor=business, actor=request.user, documents=entries)
        except profile.ProfileError as error:
            nib_form = document_forms[0]
            error.field = "number" if error.field == "nib" else None
            _add_service_error(nib_form, error)
        else:
            messages.success(request, _("The documents are saved."))
            return redirect("dashboard:documents", business.slug)
    for form in document_forms:
        form.document = existing.get(form.kind)
    return _render(request, "dashboard/documents.html", business, document_forms=document_forms)


@login_required
def document(request: HttpRequest, slug: str, kind: str) -> FileResponse:
    """A document's file, to the business's team only: it never has a public URL."""
    business = _exhibitor(request, slug)
    item = ExhibitorDocument.objects.filter(exhibitor=business, kind=kind).exclude(file="").first()
    if item is None:
        raise Http404("document")
    extension = item.file.name.rsplit(".", 1)[-1].lower()
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404("document file") from None
    response = FileResponse(
        handle,
        content_type=profile.CONTENT_TYPES.get(extension, "application/octet-stream"),
        filename=f"{business.slug}-{kind}.{extension}",
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- products ---


@login_required
def products(request: HttpRequest, slug: str) -> HttpResponse:
    business = _exhibitor(request, slug)
    items = (
        Product.objects.filter(exhibitor=business)
        .prefetch_related(
            Prefetch(
                "images",
                queryset=ProductImage.objects.order_by("position", "pk")[:1],
                to_attr="first_images",
            )
        )
        .order_by("-is_active", "name", "pk")
    )
    return _render(request, "dashboard/products.html", business, products=items)


def _product_data(form) -> catalog.ProductData:
    data = form.cleaned_data
    return catalog.ProductData(
        name=data["name"],
        description=data["description"],
        price=data["price"],
        sku=data["sku"],
        is_active=data["is_active"],
    )


@login_required
def product_create(request: HttpRequest, slug: str) -> HttpResponse:
    business = _exhibitor(request, slug)
    form = forms.ProductForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            product = catalog.product_create(
                exhibitor=business,
                actor=request.user,
                data=_product_data(form),
                stock=form.cleaned_data["stock"],
                photos=form.cleaned_data["photos"],
            )
        except catalog.CatalogError as error:
            _add_service_error(form, error)
        else:
            messages.success(request, _("“%(name)s” is added.") % {"name": product.name})
            if "add_another" in request.POST:
                return redirect("dashboard:product_create", business.slug)
            return redirect("dashboard:products", business.slug)
    return _render(request, "dashboard/product_form.html", business, form=form, product=None)


def _product_or_404(business: Exhibitor, pk: int) -> Product:
    return get_object_or_404(Product, exhibitor=business, pk=pk)


@login_required
def product_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    business = _exhibitor(request, slug)
    product = _product_or_404(business, pk)
    initial = {
        "name": product.name,
        "price": product.price,
        "stock": product.stock,
        "stock_seen": product.stock,
        "sku": product.sku,
        "description": product.description,
        "is_active": product.is_active,
    }
    if request.method == "POST":
        form = forms.ProductForm(request.POST, request.FILES, initial=initial)
        if form.is_valid():
            seen = form.cleaned_data["stock_seen"]
            try:
                catalog.product_update(
                    product=product,
                    actor=request.user,
                    data=_product_data(form),
                    stock_seen=product.stock if seen is None else seen,
                    stock=form.cleaned_data["stock"],
                    photos=form.cleaned_data["photos"],
                )
            except catalog.StockChanged as error:
                # Show the current count and take it as the new starting point, so
                # saving again (after checking) applies the person's number.
                data = request.POST.copy()
                data["stock_seen"] = str(error.current)
                form = forms.ProductForm(data, initial=initial)
                form.is_valid()
                _add_service_error(form, error)
            except catalog.CatalogError as error:
                _add_service_error(form, error)
            else:
                messages.success(request, _("“%(name)s” is saved.") % {"name": product.name})
                return redirect("dashboard:products", business.slug)
        product.refresh_from_db()
    else:
        form = forms.ProductForm(initial=initial)
    return _render(
        request,
        "dashboard/product_form.html",
        business,
        form=form,
        product=product,
        photos=product.images.order_by("position", "pk"),
        max_photos=catalog.MAX_PHOTOS,
    )


@login_required
def product_photo(request: HttpRequest, slug: str, pk: int, image_pk: int) -> HttpResponse:
    """Move a photo earlier or later, or delete it (the buttons under the product form)."""
    business = _exhibitor(request, slug)
    product = _product_or_404(business, pk)
    image = get_object_or_404(ProductImage, product=product, pk=image_pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    action = request.POST.get("action")
    if action == "delete":
        catalog.product_photo_delete(image=image, actor=request.user)
        messages.success(request, _("The photo is deleted."))
    elif action in ("up", "down"):
        catalog.product_photo_move(
            image=image, actor=request.user, step=-1 if action == "up" else 1
        )
    else:
        return HttpResponse(status=400)
    return redirect(f"{_url('dashboard:product_edit', business.slug, product.pk)}#photos")


def _url(name: str, *args) -> str:
    return reverse(name, args=args)


# --- spreadsheet import ---


@login_required
def product_import(request: HttpRequest, slug: str) -> HttpResponse:
    business = _exhibitor(request, slug)
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        result = imports.read_products(form.cleaned_data["file"])
        errors = result.errors
        if not errors:
            summary = catalog.products_import(
                exhibitor=business, actor=request.user, rows=result.rows
            )
            messages.success(
                request,
                _("Import done: %(created)s new products, %(updated)s updated.")
                % {"created": len(summary.created), "updated": len(summary.updated)},
            )
            if summary.updated:
                messages.info(
                    request,
                    _("Updated because their SKU already existed: %(names)s")
                    % {"names": ", ".join(summary.updated[:20])}
                    + (" …" if len(summary.updated) > 20 else ""),
                )
            return redirect("dashboard:products", business.slug)
    return _render(
        request,
        "dashboard/product_import.html",
        business,
        form=form,
        errors=errors,
        columns=imports.COLUMNS,
        required_columns=imports.REQUIRED_COLUMNS,
        max_rows=imports.MAX_ROWS,
    )


@login_required
def product_import_template(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    _exhibitor(request, slug)
    if fmt not in ("xlsx", "csv"):
        raise Http404("format")
    if fmt == "xlsx":
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        body = imports.template_xlsx()
    else:
        content_type = "text/csv; charset=utf-8"
        body = imports.template_csv()
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="gelar-produk.{fmt}"'
    return response


# --- applying to expos ---


@login_required
def apply(request: HttpRequest, slug: str) -> HttpResponse:
    business = _exhibitor(request, slug)
    accepted = Participation.objects.filter(
        exhibitor=business, expo=OuterRef("pk"), status=Participation.Status.ACCEPTED
    )
    expos = list(
        Expo.objects.filter(status__in=participations.OPEN_FOR_APPLICATIONS)
        .exclude(Exists(accepted))
        .select_related("organizer", "venue_region")
        .order_by("start_date", "name")
    )
    mine = {
        participation.expo_id: participation
        for participation in Participation.objects.filter(exhibitor=business)
    }
    bound = None
    if request.method == "POST":
        bound = forms.ApplyForm(request.POST)
        open_ids = {expo.pk for expo in expos}
        if bound.is_valid() and bound.cleaned_data["expo"] in open_ids:
            expo = next(expo for expo in expos if expo.pk == bound.cleaned_data["expo"])
            try:
                participations.participation_apply(
                    exhibitor=business,
                    expo=expo,
                    mode=bound.cleaned_data["mode"],
                    note=bound.cleaned_data["note"],
                    actor=request.user,
                )
            except participations.ParticipationError as error:
                bound.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("Your application to %(expo)s is sent. The organizer will reply here.")
                    % {"expo": expo.name},
                )
                return redirect("dashboard:apply", business.slug)
        elif bound.is_valid():
            raise Http404("expo")
    rows = []
    for expo in expos:
        participation = mine.get(expo.pk)
        if bound is not None and bound.data.get("expo") == str(expo.pk):
            form = bound
        else:
            initial = {"expo": expo.pk}
            if participation is not None:
                initial.update(mode=participation.mode, note=participation.note)
            form = forms.ApplyForm(initial=initial, auto_id=f"id_{expo.pk}_%s")
        can_apply = participation is None or participation.status not in (
            Participation.Status.APPLIED,
            Participation.Status.ACCEPTED,
        )
        rows.append(
            {"expo": expo, "participation": participation, "form": form, "can_apply": can_apply}
        )
    history = (
        Participation.objects.filter(exhibitor=business)
        .select_related("expo", "booth")
        .order_by("-applied_at", "-pk")
    )
    return _render(request, "dashboard/apply.html", business, rows=rows, history=history)


@login_required
def withdraw(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    business = _exhibitor(request, slug)
    participation = get_object_or_404(Participation, exhibitor=business, pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        participations.participation_withdraw(participation=participation, actor=request.user)
    except participations.ParticipationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The application is withdrawn."))
    return redirect("dashboard:apply", business.slug)


# --- the team (owner only) ---


@login_required
def team(request: HttpRequest, slug: str) -> HttpResponse:
    business = _exhibitor(request, slug, owner_only=True)
    form = forms.InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invite = profile.invite_create(
                exhibitor=business,
                actor=request.user,
                email=form.cleaned_data["email"],
                phone=form.cleaned_data["phone"],
            )
        except profile.ProfileError as error:
            _add_service_error(form, error)
        else:
            if invite.email:
                messages.success(
                    request,
                    _("The invitation is sent to %(email)s. You can also share it on WhatsApp.")
                    % {"email": invite.email},
                )
            else:
                messages.success(request, _("Share the invitation on WhatsApp below."))
            return redirect("dashboard:team", business.slug)
    members = business.members.select_related("user").order_by("role", "pk")
    invites = [
        {
            "invite": invite,
            "whatsapp": profile.invite_whatsapp_url(invite),
            "url": profile.invite_url(invite),
        }
        for invite in business.invites.filter(accepted_at__isnull=True)
        if profile.invite_is_open(invite)
    ]
    return _render(
        request, "dashboard/team.html", business, form=form, members=members, invites=invites
    )


@login_required
def team_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    business = _exhibitor(request, slug, owner_only=True)
    member = get_object_or_404(ExhibitorMember, exhibitor=business, pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        profile.member_remove(member=member, actor=request.user)
    except profile.ProfileError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(name)s is removed from the team.") % {"name": member.user})
    return redirect("dashboard:team", business.slug)


@login_required
def invite_revoke(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    business = _exhibitor(request, slug, owner_only=True)
    invite = get_object_or_404(ExhibitorInvite, exhibitor=business, pk=pk, accepted_at__isnull=True)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    profile.invite_revoke(invite=invite, actor=request.user)
    messages.success(request, _("The invitation is cancelled."))
    return redirect("dashboard:team", business.slug)


@login_required
def invite_accept(request: HttpRequest, token: str) -> HttpResponse:
    invite = get_object_or_404(ExhibitorInvite.objects.select_related("exhibitor"), token=token)
    error = None
    if request.method == "POST":
        try:
            member = profile.invite_accept(token=token, user=request.user)
        except profile.InviteError as failure:
            error = failure.message
        else:
            messages.success(
                request, _("Welcome to the team of %(name)s.") % {"name": member.exhibitor.name}
            )
            return redirect("dashboard:exhibitor", member.exhibitor.slug)
    elif not profile.invite_is_open(invite):
        error = _("This invitation is no longer valid; ask the owner for a new one.")
    return render(
        request,
        "dashboard/invite_accept.html",
        {"invite": invite, "error": error},
        status=200 if profile.invite_is_open(invite) else 410,
    )
