import csv
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


def regions_load_from_files(*, province_model, regency_model) -> tuple[int, int]:
    """Insert or update every province and regency from the shipped CSV files.

    The models are passed in so that a data migration can call this with its
    historical models.
    """
    with open(DATA_DIR / "provinces.csv", newline="", encoding="utf-8") as f:
        provinces = [province_model(code=r["code"], name=r["name"]) for r in csv.DictReader(f)]
    with open(DATA_DIR / "regencies.csv", newline="", encoding="utf-8") as f:
        regencies = [
            regency_model(code=r["code"], province_id=r["province_code"], name=r["name"])
            for r in csv.DictReader(f)
        ]
    province_model.objects.bulk_create(
        provinces, update_conflicts=True, unique_fields=["code"], update_fields=["name"]
    )
    regency_model.objects.bulk_create(
        regencies,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "province"],
    )
    return len(provinces), len(regencies)
