from django.urls import path

from . import views

app_name = "profiles"

urlpatterns = [
    path("", views.PersonListView.as_view(), name="list"),
    path("organizations/<slug:slug>/", views.OrganizationDetailView.as_view(), name="organization"),
    path("<slug:slug>/", views.PersonDetailView.as_view(), name="detail"),
]
