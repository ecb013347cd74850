"""What the bench scripts (flash_sale.py, checkin.py, live.py) share. They run as
`python bench/<name>.py`, so this folder is on sys.path and `import benchlib` works."""

import os
import sys


def django_setup() -> None:
    """Django with the project's settings, for the steps that read or write the database."""
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gelar.settings")
    import django

    django.setup()


def pgbench_summary(output_path: str, log_paths: list[str]) -> dict:
    """tps from pgbench's summary; latency percentiles from its per-transaction log."""
    found = {"tps": 0.0, "transactions": 0, "failed": 0, "seconds": 0}
    with open(output_path) as output:
        for line in output:
            if line.startswith("duration: "):
                found["seconds"] = int(line.split()[1])
            elif line.startswith("tps = ") and "without initial connection" in line:
                found["tps"] = float(line.split()[2])
            elif line.startswith("number of transactions actually processed:"):
                found["transactions"] = int(line.split(":")[1].split("/")[0])
            elif line.startswith("number of failed transactions:"):
                found["failed"] = int(line.split(":")[1].split()[0])
    latencies = []
    for path in log_paths:
        with open(path) as log:
            # client transaction latency_us script epoch_s epoch_us
            latencies.extend(int(line.split()[2]) for line in log if line.strip())
    latencies.sort()
    for p in (50, 95, 99):
        index = min(len(latencies) - 1, int(p / 100 * len(latencies)))
        found[f"p{p}_ms"] = latencies[index] / 1000 if latencies else 0.0
    return found
