import pytest

from gelar.regions.models import Province, Regency


@pytest.mark.django_db
def test_every_province_and_regency_is_loaded_with_official_codes():
    assert Province.objects.count() == 38
    assert Regency.objects.count() == 514
    pekalongan = Regency.objects.get(code="33.75")
    assert pekalongan.name == "Kota Pekalongan"
    assert pekalongan.province.name == "Jawa Tengah"
    assert pekalongan.is_city
    assert not Regency.objects.get(code="32.06").is_city  # Kabupaten Tasikmalaya
    assert Regency.objects.get(code="63.72").province_id == "63"  # Kota Banjarbaru, Kalsel
