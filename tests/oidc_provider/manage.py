"""The test provider's manage.py (the tests run its runserver)."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.oidc_provider.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
