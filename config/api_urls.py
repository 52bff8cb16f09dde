"""The REST API: `/api/v1/` (one router for every app), its OpenAPI schema and docs."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from core.api.views import not_found
from media_items.api.views import MediaItemViewSet, OutletViewSet, PersonMediaItemViewSet
from profiles.api.views import OrganizationViewSet, PersonViewSet
from publications.api.views import PersonPublicationViewSet, PublicationViewSet, TopicViewSet

app_name = "api"

router = DefaultRouter()
router.register("people", PersonViewSet, basename="person")
router.register(
    r"people/(?P<person_slug>[-\w]+)/publications",
    PersonPublicationViewSet,
    basename="person-publication",
)
router.register(
    r"people/(?P<person_slug>[-\w]+)/media-items",
    PersonMediaItemViewSet,
    basename="person-mediaitem",
)
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("publications", PublicationViewSet, basename="publication")
router.register("media-items", MediaItemViewSet, basename="mediaitem")
router.register("outlets", OutletViewSet, basename="outlet")
router.register("topics", TopicViewSet, basename="topic")

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    # Last: JSON 404s for the rest of /api/ (paths without the trailing slash still get
    # Django's redirect to the slashed URL).
    re_path(r"^(?:[\s\S]*/)?\Z", not_found),
]
