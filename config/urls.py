from django.conf import settings
from django.contrib import admin
from django.http import HttpResponseRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from core.http import media, sitemaps
from showcase.sitemaps import SITEMAPS


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon (the browsable API, files):
    send them to the site's icon instead of a 404."""
    response = HttpResponseRedirect(static("img/favicon.svg"))
    patch_cache_control(response, max_age=86400, public=True)
    return response


urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("people/", include("showcase.urls.people")),
    path("publications/", include("showcase.urls.publications")),
    path("topics/", include("showcase.urls.topics")),
    path("media/", include("showcase.urls.media")),
    path("api/", include("config.api_urls")),
    path("", include("showcase.urls.site")),
    path("", include("core.urls")),
    path(
        "sitemap.xml",
        sitemaps.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemaps.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    *media.urlpatterns(),
    path("favicon.ico", favicon, name="favicon"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain; charset=utf-8"),
        name="robots",
    ),
]
