"""Interactive documentation served entirely from this server: the Content-Security-Policy
allows scripts and styles from 'self' only, so the Swagger UI files shipped inside
django-ninja are served here instead of from a CDN (ninja is not an installed app, so its
static files are not collected)."""

import mimetypes
from pathlib import Path

import ninja
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET
from ninja.openapi.docs import DocsBase

ASSETS_DIR = Path(ninja.__file__).parent / "static" / "ninja"
ASSETS = ("swagger-ui-bundle.js", "swagger-ui.css", "swagger-ui-init.js")


def assets_available() -> bool:
    return all((ASSETS_DIR / name).is_file() for name in ASSETS)


@require_GET
def asset(request, name: str):
    if name not in ASSETS:
        raise Http404
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse((ASSETS_DIR / name).open("rb"), content_type=content_type)
    response["Cache-Control"] = "public, max-age=86400"
    return response


class LocalSwagger(DocsBase):
    settings = {"layout": "BaseLayout", "deepLinking": True, "validatorUrl": None, "persistAuthorization": False}

    def render_page(self, request, api, **kwargs):
        settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        context = {
            "api": api, "swagger_settings": settings,
            "assets": {name.split(".")[0].replace("-", "_"): reverse("api_docs_asset", args=[name])
                       for name in ASSETS},
        }
        response = render(request, "api/docs.html", context)
        response["Cache-Control"] = "no-store"
        return response
