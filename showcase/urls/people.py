from django.urls import path

from publications import exports
from publications.views import OrganizationDetailView

from .. import feeds, views

app_name = "people"
urlpatterns = [
    path("", views.PersonListView.as_view(), name="list"),
    path("organizations/<slug:slug>/", OrganizationDetailView.as_view(), name="organization"),
    path("<slug:slug>/", views.PersonDetailView.as_view(), name="detail"),
    path("<slug:slug>/feed.atom", feeds.PersonFeed(), name="feed"),
    path("<slug:slug>/publications.<str:fmt>", exports.person_export, name="export"),
]
