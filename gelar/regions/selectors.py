from gelar.regions.models import Regency


def regency_for_name(name: str) -> Regency:
    """The regency or city with exactly this official name, e.g. 'Kota Pekalongan'."""
    return Regency.objects.select_related("province").get(name=name)
