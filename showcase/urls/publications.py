from django.urls import path

from publications import exports, feeds
from publications.views import PublicationListView

from .. import views

app_name = "publications"
urlpatterns = [
    path("", PublicationListView.as_view(), name="list"),
    path("feed.atom", feeds.PublicationFeed(), name="feed"),
    path("export.<str:fmt>", exports.list_export, name="export"),
    path("<slug:slug>/cite.<str:fmt>", exports.paper_citation, name="cite"),
    path("<slug:slug>/", views.PublicationDetailView.as_view(), name="detail"),
]
