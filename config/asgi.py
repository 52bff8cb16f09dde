import os

from django.core.asgi import get_asgi_application

from core import secret_key

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_asgi_application()

secret_key.require_for_serving()
