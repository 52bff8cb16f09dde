"""Settings beyond one machine (config/deployment.py, wired in config/settings.py): read
replicas, uploaded media on S3-compatible storage, static files through a CDN, and
sessions shared through Redis."""

import importlib.util
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config import deployment

ROOT = Path(__file__).resolve().parents[2]

SHOW_SETTINGS = """
import json
from django.conf import settings
print(json.dumps({
    "databases": {alias: {"NAME": str(db["NAME"]), "ENGINE": db["ENGINE"],
                          "CONN_HEALTH_CHECKS": db["CONN_HEALTH_CHECKS"],
                          "MIRROR": db.get("TEST", {}).get("MIRROR")}
                  for alias, db in settings.DATABASES.items()},
    "routers": settings.DATABASE_ROUTERS,
    "session_engine": settings.SESSION_ENGINE,
    "cache": settings.CACHES["default"],
    "static_url": settings.STATIC_URL,
    "media_url": settings.MEDIA_URL,
    "storage": settings.STORAGES["default"],
    "csp_img": [str(source) for source in settings.SECURE_CSP["img-src"]],
}))
"""


def settings_with(**env):
    """config.settings as a fresh production process with ``env`` sees them."""
    base = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_URL", "CACHE_URL", "AWS_"))
    }
    base.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        **env,
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", SHOW_SETTINGS],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# -- read replicas -------------------------------------------------------------------------


def test_each_replica_url_becomes_a_database_alias_that_mirrors_default_in_tests():
    replicas = deployment.replica_databases(
        "postgres://app@db-replica-1:5432/site, postgres://app@db-replica-2:5432/site",
        conn_max_age=600,
    )
    assert list(replicas) == ["replica_1", "replica_2"]
    assert replicas["replica_2"]["HOST"] == "db-replica-2"
    assert replicas["replica_1"]["CONN_MAX_AGE"] == 600
    assert replicas["replica_1"]["CONN_HEALTH_CHECKS"] is True
    assert replicas["replica_1"]["TEST"] == {"MIRROR": "default"}


def test_no_replica_urls_means_no_replicas():
    assert deployment.replica_databases("", conn_max_age=600) == {}
    assert deployment.replica_databases(None, conn_max_age=600) == {}


def test_a_replica_url_that_is_not_a_database_url_is_refused_with_its_number():
    with pytest.raises(ImproperlyConfigured, match="replica 2 is not a database URL"):
        deployment.replica_databases("sqlite:///a.db,nonsense://x", conn_max_age=0)


def test_settings_install_the_router_only_with_replicas(tmp_path):
    plain = settings_with(DATABASE_URL=f"sqlite:///{tmp_path / 'a.db'}")
    assert list(plain["databases"]) == ["default"]
    assert plain["routers"] == []

    replicated = settings_with(
        DATABASE_URL=f"sqlite:///{tmp_path / 'a.db'}",
        DATABASE_REPLICA_URLS=f"sqlite:///{tmp_path / 'b.db'}",
    )
    assert replicated["databases"]["replica_1"]["NAME"] == str(tmp_path / "b.db")
    assert replicated["databases"]["replica_1"]["MIRROR"] == "default"
    assert replicated["routers"] == ["core.db.routers.PrimaryReplicaRouter"]


# -- sessions and cache shared through Redis ---------------------------------------------


def test_with_redis_sessions_live_in_the_shared_cache_backed_by_the_database(tmp_path):
    shared = settings_with(
        DATABASE_URL=f"sqlite:///{tmp_path / 'a.db'}",
        REDIS_URL="redis://127.0.0.1:6379/5",
        CACHE_KEY_PREFIX="site-a",
    )
    assert shared["session_engine"] == "django.contrib.sessions.backends.cached_db"
    assert shared["cache"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert shared["cache"]["LOCATION"] == "redis://127.0.0.1:6379/5"
    assert shared["cache"]["KEY_PREFIX"] == "site-a"

    local = settings_with(DATABASE_URL=f"sqlite:///{tmp_path / 'a.db'}")
    assert local["session_engine"] == "django.contrib.sessions.backends.db"


# -- uploaded media on object storage ----------------------------------------------------


def test_media_stay_on_the_filesystem_by_default():
    assert deployment.media_storage("") == ({"BACKEND": deployment.FILESYSTEM_BACKEND}, None)
    assert deployment.media_storage("filesystem")[1] is None


def test_an_unknown_media_storage_is_refused():
    with pytest.raises(ImproperlyConfigured, match="'filesystem' or 's3', not 'ftp'"):
        deployment.media_storage("ftp")


@pytest.mark.skipif(
    importlib.util.find_spec("storages") is None, reason="django-storages (the s3 extra)"
)
def test_s3_media_storage_from_the_environment():
    storage, media_url = deployment.media_storage(
        "s3",
        bucket="site-media",
        endpoint_url="https://s3.example.net",
        region="eu-west-1",
        custom_domain="media.example.org",
        location="/uploads/",
    )
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"] == {
        "bucket_name": "site-media",
        "file_overwrite": False,
        "default_acl": None,
        "endpoint_url": "https://s3.example.net",
        "region_name": "eu-west-1",
        "location": "uploads",
        "custom_domain": "media.example.org",
        "querystring_auth": False,
    }
    assert media_url == "https://media.example.org/uploads/"
    # The options are ones the storage class accepts, and make the URLs pages link to.
    from storages.backends.s3 import S3Storage

    assert S3Storage(**storage["OPTIONS"]).url("photos/a.jpg") == (
        "https://media.example.org/uploads/photos/a.jpg"
    )


@pytest.mark.skipif(
    importlib.util.find_spec("storages") is None, reason="django-storages (the s3 extra)"
)
def test_s3_without_a_bucket_is_refused():
    with pytest.raises(ImproperlyConfigured, match="needs AWS_STORAGE_BUCKET_NAME"):
        deployment.media_storage("s3")


def test_settings_use_s3_and_allow_its_domain_in_the_csp(tmp_path):
    if importlib.util.find_spec("storages") is None:
        pytest.skip("django-storages (the s3 extra) is not installed")
    found = settings_with(
        DATABASE_URL=f"sqlite:///{tmp_path / 'a.db'}",
        DJANGO_MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="site-media",
        AWS_S3_CUSTOM_DOMAIN="media.example.org",
    )
    assert found["storage"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert found["media_url"] == "https://media.example.org/"
    assert "https://media.example.org" in found["csp_img"]


# -- static files through a CDN ----------------------------------------------------------


def test_static_url_is_local_unless_a_cdn_is_named():
    assert deployment.static_url("") == "/static/"
    assert deployment.static_url("https://cdn.example.org/static") == (
        "https://cdn.example.org/static/"
    )


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("cdn.example.org/static/", "absolute http"),
        ("https://cdn.example.org/assets/", "must end in /static/"),
    ],
)
def test_a_cdn_url_whitenoise_cannot_be_the_origin_of_is_refused(value, reason):
    with pytest.raises(ImproperlyConfigured, match=reason):
        deployment.static_url(value)


def test_settings_link_static_files_to_the_cdn_and_allow_it_in_the_csp(tmp_path):
    found = settings_with(
        DATABASE_URL=f"sqlite:///{tmp_path / 'a.db'}",
        DJANGO_STATIC_URL="https://cdn.example.org/static/",
        DJANGO_CSP_EXTRA_ORIGINS="https://cdn.example.org,https://fonts.example.net",
    )
    assert found["static_url"] == "https://cdn.example.org/static/"
    # Named once even when also listed by hand.
    assert found["csp_img"].count("https://cdn.example.org") == 1
    assert "https://fonts.example.net" in found["csp_img"]


def test_origins_are_the_distinct_hosts_of_absolute_urls():
    assert deployment.origins(
        "/static/", "https://cdn.example.org/static/", "https://cdn.example.org/media/", ""
    ) == ["https://cdn.example.org"]
