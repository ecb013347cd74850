"""Production settings: check --deploy, HTTPS defaults, headers, secrets from files."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from gelar.settings import envsecret

ROOT = Path(__file__).resolve().parents[3]
PRODUCTION = {
    "DEBUG": "0",
    "ALLOWED_HOSTS": "gelar.example.id",
    "SITE_URL": "https://gelar.example.id",
}
# What `make demo` sets (Makefile DEMO_ENV), SITE_URL left to its default.
DEMO = {"DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1,localhost"}
SHOWN = [
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "LANGUAGE_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
]


def run(args: list[str], env: dict, tmp_path) -> subprocess.CompletedProcess:
    """A fresh process with only these settings variables (none of the test run's)."""
    # Only what any process needs: a shell that has sourced gelar.env (the drills do)
    # must not pass DATABASE_URL, CELERY_BROKER_URL or a *_FILE on to it.
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "VIRTUAL_ENV", "PYTHONPATH")
    clean = {k: v for k, v in os.environ.items() if k in keep}
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "gelar.settings",
            "GELAR_VAR_DIR": str(tmp_path / "var"),
            "SECRET_KEY": secrets.token_urlsafe(50),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )


def settings_in(env: dict, tmp_path, names=SHOWN) -> dict:
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {names!r}}}))"
    )
    done = run(["-c", code], env, tmp_path)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize(
    "services",
    [
        {},
        {
            "DATABASE_URL": "postgres://gelar:rahasia@127.0.0.1:5432/gelar",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
            "TRUST_X_FORWARDED_PROTO": "1",
            "TRUSTED_PROXY_COUNT": "1",
        },
    ],
    ids=["embedded", "postgres-redis-behind-nginx"],
)
def test_check_deploy_is_clean_with_production_settings(tmp_path, services):
    done = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        {**PRODUCTION, **services},
        tmp_path,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip() == "System check identified no issues (0 silenced)."


def test_check_deploy_sees_a_site_without_https(tmp_path):
    """The check is not vacuous: an http site fails it on the HTTPS settings."""
    done = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        {**PRODUCTION, "SITE_URL": "http://gelar.example.id"},
        tmp_path,
    )
    assert done.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in done.stderr


def test_check_deploy_sees_an_https_redirect_behind_nginx_without_the_scheme(tmp_path):
    """Behind nginx (TLS ends there) without TRUST_X_FORWARDED_PROTO, every request looks
    like plain HTTP to Django: the HTTPS redirect would loop."""
    behind_nginx = {**PRODUCTION, "TRUSTED_PROXY_COUNT": "1"}
    check = ["manage.py", "check", "--deploy", "--fail-level", "WARNING"]
    done = run(check, behind_nginx, tmp_path)
    assert done.returncode != 0
    assert "(ops.W001) SECURE_SSL_REDIRECT is on behind a proxy" in done.stderr
    # Either setting put right clears it (the redirect left to nginx, or the scheme trusted).
    for fixed in ({"SECURE_SSL_REDIRECT": "0"}, {"TRUST_X_FORWARDED_PROTO": "1"}):
        done = run(["manage.py", "check", "--deploy"], {**behind_nginx, **fixed}, tmp_path)
        assert done.returncode == 0, done.stderr
        assert "ops.W001" not in done.stdout + done.stderr


def test_check_deploy_of_the_topology_adds_nothing_of_its_own(tmp_path):
    """bench/topology.sh's environment: plain HTTP behind nginx, so no HTTPS redirect.
    Django warns about the missing HTTPS settings (W004, W008, ...), and that is all."""
    topology = {
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": "http://127.0.0.1:8080",
        "TRUSTED_PROXY_COUNT": "1",
        "REDIS_URL": "redis://127.0.0.1:6380/0",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6380/1",
    }
    done = run(["manage.py", "check", "--deploy"], topology, tmp_path)
    assert done.returncode == 0, done.stderr
    found = set(re.findall(r"\((\w+\.\w+)\)", done.stderr))
    assert found == {"security.W004", "security.W008", "security.W012", "security.W016"}


def test_https_defaults_for_an_https_site(tmp_path):
    assert settings_in(PRODUCTION, tmp_path) == {
        "SECURE_SSL_REDIRECT": True,
        "SECURE_PROXY_SSL_HEADER": None,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "LANGUAGE_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
    }


def test_the_demo_on_plain_http_keeps_them_off(tmp_path):
    assert settings_in(DEMO, tmp_path) == {
        "SECURE_SSL_REDIRECT": False,
        "SECURE_PROXY_SSL_HEADER": None,
        "SESSION_COOKIE_SECURE": False,
        "CSRF_COOKIE_SECURE": False,
        "LANGUAGE_COOKIE_SECURE": False,
        "SECURE_HSTS_SECONDS": 0,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": False,
        "SECURE_HSTS_PRELOAD": False,
    }


def test_each_can_be_set_from_the_environment(tmp_path):
    env = {
        **PRODUCTION,
        "TRUST_X_FORWARDED_PROTO": "1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "600",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": "0",
        "SECURE_HSTS_PRELOAD": "false",
    }
    assert settings_in(env, tmp_path) == {
        "SECURE_SSL_REDIRECT": False,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "LANGUAGE_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 600,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": False,
        "SECURE_HSTS_PRELOAD": False,
    }


@pytest.mark.django_db
def test_every_page_carries_the_security_headers(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_behind_nginx_https_is_recognised_and_hsts_sent(client, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    plain = client.get("/en/")
    assert (plain.status_code, plain["Location"]) == (301, "https://testserver/en/")
    secure = client.get("/en/", HTTP_X_FORWARDED_PROTO="https")
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


# --- secrets ----------------------------------------------------------------------------


def test_a_secret_comes_from_the_variable_or_its_file(monkeypatch, tmp_path):
    secret_file = tmp_path / "midtrans"
    secret_file.write_text("SB-Mid-server-dari-berkas\n")
    monkeypatch.delenv("GELAR_T_KEY", raising=False)
    monkeypatch.setenv("GELAR_T_KEY_FILE", str(secret_file))
    assert envsecret("GELAR_T_KEY") == "SB-Mid-server-dari-berkas"
    monkeypatch.setenv("GELAR_T_KEY", "dari-variabel")
    assert envsecret("GELAR_T_KEY") == "dari-variabel"
    monkeypatch.delenv("GELAR_T_KEY")
    monkeypatch.delenv("GELAR_T_KEY_FILE")
    assert envsecret("GELAR_T_KEY") == ""
    assert envsecret("GELAR_T_KEY", "bawaan") == "bawaan"


def test_an_unreadable_secret_file_stops_the_start(monkeypatch, tmp_path):
    monkeypatch.delenv("GELAR_T_KEY", raising=False)
    monkeypatch.setenv("GELAR_T_KEY_FILE", str(tmp_path / "tidak-ada"))
    with pytest.raises(ImproperlyConfigured, match="GELAR_T_KEY_FILE: cannot read"):
        envsecret("GELAR_T_KEY")


def test_every_secret_setting_reads_a_file(tmp_path):
    values = {
        "SECRET_KEY": "k" * 40 + secrets.token_urlsafe(20),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'from-file.sqlite3'}",
        "REDIS_URL": "redis://:rahasia@127.0.0.1:6379/3",
        "CELERY_BROKER_URL": "redis://:rahasia@broker.internal:6379/1",
        "EMAIL_HOST_PASSWORD": "sandi-surel",
        "MIDTRANS_SERVER_KEY": "SB-Mid-server-abc",
        "METRICS_TOKEN": "token-prometheus",
    }
    env = {"DEBUG": "0", "ALLOWED_HOSTS": "gelar.example.id", "EMAIL_HOST": "smtp.example.id"}
    for name, secret in values.items():
        path = tmp_path / name.lower()
        path.write_text(secret + "\n")
        env[f"{name}_FILE"] = str(path)
    done = run(
        [
            "-c",
            "import json, django; django.setup(); from django.conf import settings as s; "
            "print(json.dumps([s.SECRET_KEY, s.DATABASES['default']['NAME'], s.REDIS_URL, "
            "s.CELERY_BROKER_URL, s.EMAIL_HOST_PASSWORD, s.MIDTRANS_SERVER_KEY, "
            "s.METRICS_TOKEN]))",
        ],
        {**env, "SECRET_KEY": ""},
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [
        values["SECRET_KEY"],
        str(tmp_path / "from-file.sqlite3"),
        values["REDIS_URL"],
        values["CELERY_BROKER_URL"],
        values["EMAIL_HOST_PASSWORD"],
        values["MIDTRANS_SERVER_KEY"],
        values["METRICS_TOKEN"],
    ]
