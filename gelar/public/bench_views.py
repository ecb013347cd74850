"""The baseline of the page bench (bench/pages.sh), mounted only when BENCH_VIEWS is on.

It crosses the same middleware and database connection as the public pages but
renders no template, so a page's req/s divided by this view's req/s is the share
of the cost that is the page's own.
"""

from django.http import JsonResponse

from gelar.catalog.models import Product


def bare_view(request):
    # Ordered by pk, not the model's default (name): the baseline must cost an
    # index scan of 20 rows, not a sort of the whole catalogue.
    products = list(Product.objects.order_by("pk").values("id", "name", "price")[:20])
    return JsonResponse({"products": products})
