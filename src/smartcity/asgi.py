import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartcity.settings")

from smartcity.core import config
from smartcity.core.access_log import with_access_log
from smartcity.core.static import StaticFiles
from smartcity.core.threads import ThreadPoolApp

# outermost: the access log sees every answer, also those the intake refuses; then the
# static files, which take no worker thread
application = with_access_log(
    StaticFiles(ThreadPoolApp(get_asgi_application(), config.get("WORKER_THREADS")))
)
