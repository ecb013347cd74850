"""System checks of the production settings that Django's own `check --deploy` misses."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def https_redirect_behind_a_proxy(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """Behind nginx TLS ends at nginx and the app hears plain HTTP: unless it trusts
    X-Forwarded-Proto, SECURE_SSL_REDIRECT sends every request, HTTPS ones included,
    back to HTTPS -- a redirect loop."""
    behind_proxy = settings.ALLAUTH_TRUSTED_PROXY_COUNT > 0
    if not (settings.SECURE_SSL_REDIRECT and behind_proxy):
        return []
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        return []
    return [
        checks.Warning(
            "SECURE_SSL_REDIRECT is on behind a proxy (TRUSTED_PROXY_COUNT="
            f"{settings.ALLAUTH_TRUSTED_PROXY_COUNT}) but SECURE_PROXY_SSL_HEADER is not set: "
            "every request would be redirected to HTTPS again, a redirect loop.",
            hint="Set TRUST_X_FORWARDED_PROTO=1 when TLS ends at the proxy and it sends "
            "X-Forwarded-Proto (deploy/nginx does), or SECURE_SSL_REDIRECT=0 to leave the "
            "redirect to the proxy.",
            id="ops.W001",
        )
    ]
