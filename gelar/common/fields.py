from django.db import models


class RupiahField(models.PositiveBigIntegerField):
    """An amount of money in whole Rupiah (IDR has no minor unit in practice)."""
