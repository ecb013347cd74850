"""The deployment files (deploy/, docs/deploy.md) are sound, though no container engine
or systemd runs here: compose.yaml loads and wires the services, the Dockerfile copies
paths that exist and runs as a user, the units are hardened, nginx accepts the
production configuration (where nginx is installed), every environment variable the
settings read is documented, and a backup restores into another database (PostgreSQL).
`bench/topology.sh check` runs this file."""

import configparser
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.db import connection

from gelar.catalog import images
from gelar.catalog import services as catalog

ROOT = Path(settings.BASE_DIR)
DEPLOY = ROOT / "deploy"
APP_SERVICES = ["migrate", "web1", "web2", "live", "worker", "beat"]


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def test_compose_runs_every_part_of_the_topology(compose):
    services = compose["services"]
    assert sorted(services) == sorted(["postgres", "redis", "nginx", *APP_SERVICES])
    assert services["postgres"]["image"] == "postgres:15"
    assert services["redis"]["image"] == "redis:7"
    assert services["redis"]["command"] == ["redis-server", "--appendonly", "yes"]
    for name in APP_SERVICES:
        service = services[name]
        assert service["image"] == "gelar-app"
        assert service["build"]["target"] == "app"
        environment = service["environment"]
        assert environment["REDIS_URL"] == "redis://redis:6379/0"
        assert environment["CELERY_BROKER_URL"] == "redis://redis:6379/1"  # the worker's
        assert environment["SECRET_KEY_FILE"] == "/run/secrets/secret_key"
        assert environment["DATABASE_URL_FILE"] == "/run/secrets/database_url"
        assert "SECRET_KEY" not in environment and "DATABASE_URL" not in environment
    assert services["worker"]["command"][:4] == ["celery", "-A", "gelar", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "gelar", "beat"]
    assert "asginl" in services["live"]["command"]
    assert services["web1"]["depends_on"]["migrate"] == {
        "condition": "service_completed_successfully"
    }
    # Only nginx is published, and on the host's loopback only.
    published = {name: s["ports"] for name, s in services.items() if "ports" in s}
    assert published == {"nginx": ["127.0.0.1:8080:8080"]}
    for name, secret in compose["secrets"].items():
        assert secret["file"] == f"./secrets/{name}"
    assert "secrets" in (ROOT / ".dockerignore").read_text().split("deploy/", 1)[1]


def dockerfile_lines() -> list[str]:
    text = (DEPLOY / "Dockerfile").read_text().replace("\\\n", " ")
    return [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]


def test_the_dockerfile_copies_paths_that_exist_and_runs_as_a_user():
    lines = dockerfile_lines()
    assert lines[0] == "FROM python:3.11-slim AS app"
    copies = [line.split()[1:-1] for line in lines if line.startswith("COPY ")]
    sources = [s for parts in copies if not parts[0].startswith("--from") for s in parts]
    assert sources == [
        "requirements.txt",
        "constraints.txt",
        "manage.py",
        "pyproject.toml",
        "gelar/",
        "locale/",
        "deploy/nginx/gelar-http.conf",
        "deploy/nginx/gelar-server.conf",
        "deploy/nginx/compose.conf",
    ]
    for source in sources:
        assert (ROOT / source).exists(), source
    assert "RUN pip install -r requirements.txt -c constraints.txt" in lines
    build = next(line for line in lines if "collectstatic" in line)
    assert "compilemessages" in build
    app = lines[: lines.index("FROM nginx:1.27 AS nginx")]
    assert "USER gelar" in app
    assert app[-1].startswith('CMD ["granian", "--interface", "wsgi"')
    assert lines[-1] == "FROM app"  # the default target


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read_string((DEPLOY / "systemd" / name).read_text().replace("\\\n", " "))
    return parser


@pytest.mark.parametrize(
    ("name", "command"),
    [
        ("gelar-web@.service", "granian --interface wsgi"),
        ("gelar-live@.service", "granian --interface asginl"),
        ("gelar-worker.service", "celery -A gelar worker"),
        ("gelar-beat.service", "celery -A gelar beat"),
    ],
)
def test_the_units_are_hardened_and_read_the_environment_file(name, command):
    service = unit(name)["Service"]
    assert service["User"] == "gelar"
    assert service["EnvironmentFile"] == "/etc/gelar/gelar.env"
    assert command in " ".join(service["ExecStart"].split())
    assert service["Restart"] == "always"
    for setting, value in [
        ("NoNewPrivileges", "yes"),
        ("ProtectSystem", "strict"),
        ("PrivateTmp", "yes"),
        ("ProtectHome", "yes"),
    ]:
        assert service[setting] == value, setting
    assert service["ReadWritePaths"].split()[0] == "/var/lib/gelar"
    if "granian" in command:
        assert "--host 127.0.0.1 --port %i" in " ".join(service["ExecStart"].split())
        assert "/readyz" in service["ExecStartPost"]


def test_nginx_never_passes_a_post_on_and_takes_the_largest_upload():
    site = (DEPLOY / "nginx" / "gelar-server.conf").read_text()
    directives = [line.strip() for line in site.splitlines() if not line.strip().startswith("#")]
    assert "proxy_next_upstream error timeout http_502;" in directives
    assert "non_idempotent" not in " ".join(directives)
    assert 'proxy_set_header Connection "upgrade";' in directives
    assert "proxy_set_header X-Request-ID $request_id;" in directives
    megabytes = int(re.search(r"client_max_body_size (\d+)m;", site).group(1))
    assert megabytes * 2**20 >= catalog.MAX_PHOTOS * images.MAX_UPLOAD_BYTES + 2**20


@pytest.mark.skipif(not shutil.which("nginx") or not shutil.which("openssl"), reason="no nginx")
def test_nginx_accepts_the_production_and_compose_configurations(tmp_path):
    """gelar.conf as installed (its includes pointed at deploy/nginx/, a self-signed
    certificate in place of Let's Encrypt's) and compose.conf, each under a bare http {}."""
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
         "/CN=gelar.example.id", "-keyout", tmp_path / "key.pem", "-out", tmp_path / "cert.pem"],
        check=True, capture_output=True,
    )  # fmt: skip
    for name in ("gelar.conf", "compose.conf"):
        site = (DEPLOY / "nginx" / name).read_text()
        site = site.replace("/etc/nginx/gelar/", f"{DEPLOY}/nginx/")
        site = site.replace(
            "/etc/letsencrypt/live/gelar.example.id/fullchain.pem", f"{tmp_path}/cert.pem"
        )
        site = site.replace(
            "/etc/letsencrypt/live/gelar.example.id/privkey.pem", f"{tmp_path}/key.pem"
        )
        site = site.replace("/var/log/nginx/", f"{tmp_path}/")
        # compose's upstream hosts resolve inside compose's network only.
        site = re.sub(r"server (web1|web2|live):", "server 127.0.0.1:", site)
        (tmp_path / "site.conf").write_text(site)
        (tmp_path / "nginx.conf").write_text(
            f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
            "events {}\nhttp {\n    include /etc/nginx/mime.types;\n"
            f"    access_log {tmp_path}/access.log;\n    include {tmp_path}/site.conf;\n}}\n"
        )
        result = subprocess.run(
            ["nginx", "-t", "-c", tmp_path / "nginx.conf"], capture_output=True, text=True
        )
        assert result.returncode == 0, f"{name}: {result.stderr}"


def environment_names() -> set[str]:
    """Every variable gelar/settings.py reads (a secret's <NAME>_FILE is said with it)."""
    text = (ROOT / "gelar" / "settings.py").read_text()
    pattern = r'(?:os\.environ\.get|os\.environ\[|envbool|envlist|envsecret)\(?\s*"([A-Z0-9_]+)"'
    return set(re.findall(pattern, text))


def test_every_environment_variable_is_documented():
    names = environment_names()
    assert {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "EXPIRE_RESERVATIONS_EVERY"} <= names
    documented = set(re.findall(r"`([A-Z0-9_]+)`", (ROOT / "docs" / "deploy.md").read_text()))
    assert sorted(names - documented) == []


def test_the_environment_example_is_read_alike_by_systemd_and_the_shell():
    """systemd's EnvironmentFile and the scripts' `. gelar.env` (deploy/env.sh) read the
    same file: every value the shell would split or redirect is quoted."""
    example = DEPLOY / "gelar.env.example"
    shell = subprocess.run(
        ["bash", "-c", 'set -aeu; . "$1"; printf %s "$DEFAULT_FROM_EMAIL"', "-", example],
        capture_output=True,
        text=True,
    )
    assert shell.returncode == 0, shell.stderr
    assert shell.stderr == ""
    assert shell.stdout == "Gelar <noreply@gelar.example.id>"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump backs up PostgreSQL")
@pytest.mark.skipif(not shutil.which("pg_dump"), reason="no pg_dump")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_restores_into_another_database(tmp_path):
    from gelar.testing import accept_every_payment, build_expo

    accept_every_payment(build_expo(extra_exhibitors=2))
    (tmp_path / "var" / "media" / "products").mkdir(parents=True)
    (tmp_path / "var" / "media" / "products" / "batik.jpg").write_bytes(b"\xff\xd8 a photo")
    (tmp_path / "var" / "private").mkdir()
    (tmp_path / "var" / "private" / "nib.pdf").write_bytes(b"%PDF- a licence")

    db = connection.settings_dict
    base = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    source = f"{base}/{db['NAME']}"
    restored = f"{db['NAME']}_restored"[:63]
    env = {**os.environ, "DATABASE_URL": source, "GELAR_VAR_DIR": str(tmp_path / "var")}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    backup = subprocess.run(
        [DEPLOY / "backup.sh", tmp_path / "backups"], env=env, check=True, capture_output=True,
        text=True,
    ).stdout.strip()  # fmt: skip
    assert sorted(p.name for p in Path(backup).iterdir()) == [
        "SHA256SUMS",
        "database.dump",
        "media.tar.gz",
        "private.tar.gz",
    ]

    tables = ["events_expo", "exhibitors_exhibitor", "exhibitors_participation",
              "catalog_product", "catalog_productimage", "payments_exhibitorpaymentsettings",
              "regions_regency", "django_migrations"]  # fmt: skip

    def counts(cursor) -> dict[str, int]:
        found = {}
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {table}")
            found[table] = cursor.fetchone()[0]
        return found

    with connection.cursor() as cursor:
        before = counts(cursor)
        cursor.execute(f'DROP DATABASE IF EXISTS "{restored}"')
        cursor.execute(f'CREATE DATABASE "{restored}"')
    try:
        env.update(DATABASE_URL=f"{base}/{restored}", GELAR_VAR_DIR=str(tmp_path / "restored"))
        subprocess.run([DEPLOY / "restore.sh", backup], env=env, check=True, capture_output=True)
        # A second restore into the now full database is refused.
        again = subprocess.run(
            [DEPLOY / "restore.sh", backup], env=env, capture_output=True, text=True
        )
        assert again.returncode == 1
        assert "restore into an empty one" in again.stderr

        import psycopg

        with psycopg.connect(env["DATABASE_URL"], password=db.get("PASSWORD") or None) as other:
            after = counts(other.cursor())
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)')

    assert after == before
    assert before["exhibitors_exhibitor"] == 5  # three of the world and two extra
    restored_files = tmp_path / "restored"
    assert (restored_files / "media" / "products" / "batik.jpg").read_bytes() == b"\xff\xd8 a photo"
    assert (restored_files / "private" / "nib.pdf").read_bytes() == b"%PDF- a licence"
