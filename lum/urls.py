"""URLs of the two Atlases, mounted at /atlante/."""

app_name = "atlante"

urlpatterns: list = []
