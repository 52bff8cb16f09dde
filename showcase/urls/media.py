from django.urls import path

from media_items import feeds
from media_items.views import MediaItemListView, OutletDetailView

from .. import views

app_name = "media"
urlpatterns = [
    path("", MediaItemListView.as_view(), name="list"),
    path("feed.atom", feeds.MediaItemFeed(), name="feed"),
    path("outlets/<slug:slug>/", OutletDetailView.as_view(), name="outlet"),
    path("<slug:slug>/", views.MediaItemDetailView.as_view(), name="detail"),
]
