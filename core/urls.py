from django.urls import path

from core import views

app_name = "core"

urlpatterns = [
    path("r/<str:stable_id>", views.permalink, name="permalink"),
]
