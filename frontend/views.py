"""Pages of the portal."""

from django.views.generic import TemplateView


class MapView(TemplateView):
    """The map of the CMM."""

    template_name = "frontend/map.html"
