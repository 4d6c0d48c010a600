"""Settings of the test suite: the production settings plus the ``bench`` app.

The suite also covers the benchmark's load layer (``tests/bench``), whose app production never
installs (``tests/test_settings.py`` checks :mod:`remix.settings` itself). Nothing else differs.
"""

from remix.settings import *  # noqa: F403
from remix.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
