"""Print the URLs the page bench drives, one `name<TAB>path<TAB>note` line each,
picked from the database so that every page shows real, public data.

Run by bench/pages.sh with the bench's environment (DATABASE_URL etc.). A page
with nothing to show is printed with `-` as its path and the reason as its note.
"""

import collections
import os
import sys
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gelar.settings")

import django  # noqa: E402

django.setup()

from django.db.models import Count, Q  # noqa: E402

from gelar.catalog import selectors as catalog  # noqa: E402
from gelar.catalog.models import Product  # noqa: E402
from gelar.common.text import search_terms  # noqa: E402
from gelar.events.models import Expo  # noqa: E402
from gelar.exhibitors.models import Category, Exhibitor, Participation  # noqa: E402

EXPO_SLUG = "pekalongan-hybrid-expo-2021"
# The directory's query parameter for the category filter (gelar/public/views.py).
CATEGORY_PARAM = "category"
EXPO_PAGES = ["home", "directory", "directory-category", "floor-plan", "booth", "product", "search"]


def pick() -> list[tuple[str, str, str]]:
    rows = [("bare", "/bench/bare/", ""), ("expo-list", "/", "")]
    expo = Expo.objects.filter(slug=EXPO_SLUG).first()
    if expo is None:
        return rows + [(name, "-", f"no expo {EXPO_SLUG}") for name in EXPO_PAGES]
    base = f"/expo/{expo.slug}/"
    rows += [("home", base, ""), ("directory", f"{base}peserta/", "")]

    accepted = Q(
        exhibitors__participations__expo=expo,
        exhibitors__participations__status=Participation.Status.ACCEPTED,
    )
    category = (
        Category.objects.annotate(n=Count("exhibitors", filter=accepted, distinct=True))
        .filter(n__gt=0)
        .order_by("-n", "pk")
        .first()
    )
    if category is None:
        rows.append(("directory-category", "-", "no category with accepted exhibitors"))
    else:
        query = urlencode({CATEGORY_PARAM: category.slug})
        note = f"largest category: {category.n} exhibitors"
        rows.append(("directory-category", f"{base}peserta/?{query}", note))
    rows.append(("floor-plan", f"{base}denah/", ""))

    # A typical booth: the accepted exhibitor with the median number of public products.
    public = catalog.public_products(expo=expo)
    counts = list(
        public.values("exhibitor_id", "exhibitor__slug")
        .annotate(n=Count("pk"))
        .order_by("n", "exhibitor_id")
    )
    if not counts:
        reason = "no public products"
        return rows + [(name, "-", reason) for name in ("booth", "product", "search")]
    typical = counts[len(counts) // 2]
    mode = Participation.objects.get(expo=expo, exhibitor_id=typical["exhibitor_id"]).mode
    booth = f"{base}stan/{typical['exhibitor__slug']}/"
    rows.append(("booth", booth, f"median booth: {typical['n']} products, {mode}"))
    product = public.filter(exhibitor_id=typical["exhibitor_id"]).order_by("pk")[0]
    rows.append(("product", f"{booth}{product.slug}/", ""))

    # The word of four letters or more in most public product names: what a
    # visitor of this expo would type first, and a full page of results.
    words = collections.Counter(
        word
        for name in public.values_list("name", flat=True)
        for word in set(search_terms(name))
        if len(word) >= 4
    )
    term = words.most_common(1)[0][0] if words else search_terms(product.name)[0]
    matches = catalog.search_products(expo=expo, q=term).count()
    rows.append(("search", f"{base}cari/?{urlencode({'q': term})}", f"{matches} products match"))
    return rows


if __name__ == "__main__":
    print(f"#\t{Exhibitor.objects.count()} exhibitors, {Product.objects.count()} products")
    for name, path, note in pick():
        print(f"{name}\t{path}\t{note}")
