import os

from django.core.wsgi import get_wsgi_application

from core import secret_key

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

secret_key.require_for_serving()
