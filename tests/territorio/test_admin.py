"""The admin of the territorial base, with its Leaflet map widget, and the dev admin account."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from territorio.models import Comune


def test_comune_change_page_shows_a_leaflet_map_widget(admin_client, territorio):
    milano = Comune.objects.get(istat_code="015146")
    response = admin_client.get(f"/admin/territorio/comune/{milano.pk}/change/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "leaflet" in content.lower()
    assert 'name="geom"' in content


def test_zona_list_counts_comuni(admin_client, territorio):
    response = admin_client.get("/admin/territorio/zonaomogenea/")
    assert response.status_code == 200
    assert "Adda Martesana" in response.content.decode()


def test_anonymous_cannot_open_the_admin(client):
    response = client.get("/admin/territorio/comune/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_ensure_dev_admin_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("ensure_dev_admin")


@pytest.mark.django_db
def test_ensure_dev_admin_creates_one_admin_once(tmp_path, django_user_model):
    with override_settings(DEBUG=True, BASE_DIR=tmp_path):
        call_command("ensure_dev_admin")
        call_command("ensure_dev_admin")
    assert django_user_model.objects.filter(is_superuser=True).count() == 1
    assert (tmp_path / "var" / "dev-admin-password").read_text()
