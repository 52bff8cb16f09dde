from django.urls import path

from . import feeds, views

app_name = "media_items"

urlpatterns = [
    path("", views.MediaItemListView.as_view(), name="list"),
    path("feed.atom", feeds.MediaItemFeed(), name="feed"),
    path("outlets/<slug:slug>/", views.OutletDetailView.as_view(), name="outlet"),
    path("<slug:slug>/", views.MediaItemDetailView.as_view(), name="detail"),
]
