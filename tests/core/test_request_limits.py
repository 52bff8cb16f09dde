import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["publications:list", "media:list", "people:list"])
def test_megabyte_query_strings_get_414_not_a_500(client, name):
    response = client.get(reverse(name) + "?q=" + "a" * 1_000_000)
    assert response.status_code == 414
    assert "That address is too long" in response.content.decode()


def test_normal_query_strings_pass(client):
    url = reverse("publications:list") + "?sort=newest&year_min=2020&page=1"
    assert client.get(url).status_code == 200
