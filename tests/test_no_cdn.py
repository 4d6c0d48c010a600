"""The portal works on a closed network: no page loads a script or stylesheet from elsewhere."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db

EXTERNAL_ASSET = re.compile(r"""<(?:script|link)[^>]+(?:src|href)=["']https?://""", re.I)


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/dati/",
        "/comuni/015146/",
        "/api/docs/",
        "/ogc/?f=html",
        "/ogc/api?f=html",
        "/ogc/collections?f=html",
        "/atlante/lum/",
        "/atlante/comuni/",
        "/accounts/login/",
    ],
)
def test_page_loads_no_asset_from_another_host(client, territorio, url):
    response = client.get(url)
    assert response.status_code == 200
    assert EXTERNAL_ASSET.findall(response.content.decode()) == []
