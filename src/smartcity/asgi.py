import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartcity.settings")

from smartcity.core import config
from smartcity.core.threads import ThreadPoolApp

application = ThreadPoolApp(get_asgi_application(), config.get("WORKER_THREADS"))
