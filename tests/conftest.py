import pytest
from django.contrib.auth.models import Group

from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def plain_test_settings(settings):
    # Tests talk plain HTTP to the test client; production keeps the HTTPS redirect on.
    settings.SECURE_SSL_REDIRECT = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}
    }


@pytest.fixture(autouse=True)
def empty_cache(plain_test_settings):
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def editor(db):
    user = UserFactory(username="editor", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def reviewer(db):
    user = UserFactory(username="reviewer", is_staff=True)
    user.groups.add(Group.objects.get(name="Reviewers"))
    return user


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)
