from django.urls import path

from publications import exports

from . import feeds, views

app_name = "showcase"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("people/<slug:slug>/feed.atom", feeds.PersonFeed(), name="person_feed"),
    path("people/<slug:slug>/publications.<str:fmt>", exports.person_export, name="person_export"),
    path("search/", views.SearchView.as_view(), name="search"),
]
