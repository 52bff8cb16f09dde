"""System checks of the project's own settings."""

from django.conf import settings
from django.core.checks import Error, Tags, register

from core import secret_key


@register(Tags.security, deploy=True)
def secret_key_from_environment(app_configs, **kwargs):
    """`check --deploy`: production serves only with DJANGO_SECRET_KEY from the environment."""
    problem = secret_key.serving_problem(settings)
    return [Error(problem, id="core.E001")] if problem else []
