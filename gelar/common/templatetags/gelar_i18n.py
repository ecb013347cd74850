"""The header's language switch: {% load gelar_i18n %}."""

from django import template
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils.translation import get_language, override

register = template.Library()


@register.simple_tag(takes_context=True)
def other_language(context) -> dict:
    """The other interface language and the current page's URL in it.

    A plain link, so switching works without JavaScript and the choice is
    carried by the URL (bare for Indonesian, /en/ for English), not a cookie.
    """
    current = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    code, name = next((c, n) for c, n in settings.LANGUAGES if c != current)
    request = context.get("request")
    url = ""
    if request is not None:
        path = request.get_full_path()
        url = translate_url(path, code)
        if url == path:
            # Not a page of ours (a 404 for an unknown path): offer the other home page.
            with override(code):
                url = reverse("public:expo_list")
    else:
        with override(code):
            url = reverse("public:expo_list")
    with override(code):
        label = str(name)
    return {"code": code, "url": url, "label": label}
