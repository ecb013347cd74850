from django.db import models
from django.utils.translation import gettext_lazy as _


class Province(models.Model):
    """A province (provinsi), keyed by its official Kemendagri code, e.g. '33'."""

    code = models.CharField(_("code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return self.name


class Regency(models.Model):
    """A regency (kabupaten) or city (kota), keyed by its code, e.g. '33.75'."""

    code = models.CharField(_("code"), max_length=5, primary_key=True)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="regencies", verbose_name=_("province")
    )
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("regency or city")
        verbose_name_plural = _("regencies and cities")

    def __str__(self) -> str:
        return self.name

    @property
    def is_city(self) -> bool:
        return self.name.startswith("Kota ")
