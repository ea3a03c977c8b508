"""Optional e-mail notices of review steps (NOTIFY_BY_EMAIL), through Django's e-mail framework:
reviewers hear of a submission, the submitting editor of a send-back and of the publication."""

import pytest
from django.core import mail
from django.db import transaction

from profiles import editing, notices, publishing
from tests.factories import UserFactory, cited_profile, publish

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.NOTIFY_BY_EMAIL = True
    settings.SITE_URL = "https://bios.example.org"


@pytest.fixture
def second_reviewer(reviewer):
    user = UserFactory(username="second-reviewer", is_staff=True)
    user.groups.add(*reviewer.groups.all())
    UserFactory(username="no-address", email="", is_staff=True).groups.add(*reviewer.groups.all())
    UserFactory(username="gone", is_staff=True, is_active=False).groups.add(*reviewer.groups.all())
    return user


def test_a_submission_tells_every_reviewer_with_an_address(
    editor, reviewer, second_reviewer, django_capture_on_commit_callbacks
):
    person = cited_profile(slug="cai-qi", name="Cai Qi")
    UserFactory(username="superuser", is_staff=True, is_superuser=True)
    with django_capture_on_commit_callbacks(execute=True):
        notices.profile_submitted(person=person, user=editor, note="Dates from Xinhua")
    [message] = mail.outbox
    assert sorted(message.to) == [
        "reviewer@example.org",
        "second-reviewer@example.org",
        "superuser@example.org",
    ]
    assert message.subject == "Waiting for review: Cai Qi"
    assert "Dates from Xinhua" in message.body
    assert f"https://bios.example.org/admin/profiles/person/{person.pk}/review/" in message.body


def test_a_reviewer_who_submits_is_not_told_of_their_own_submission(
    reviewer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notices.profile_submitted(person=cited_profile(slug="cai-qi"), user=reviewer)
    assert mail.outbox == []


def test_a_send_back_tells_the_editor_who_submitted_with_the_comment(
    editor, reviewer, django_capture_on_commit_callbacks
):
    person = cited_profile(slug="cai-qi", name="Cai Qi")
    publishing.profile_submit(person=person, user=editor)
    with django_capture_on_commit_callbacks(execute=True):
        notices.profile_sent_back(person=person, user=reviewer, comment="Cite the birth year")
    [message] = mail.outbox
    assert message.to == ["editor@example.org"] and message.subject == "Sent back to you: Cai Qi"
    assert "Cite the birth year" in message.body
    assert f"/admin/profiles/person/{person.pk}/change/" in message.body


def test_a_publication_tells_the_editors_of_this_round_only(
    editor, reviewer, django_capture_on_commit_callbacks
):
    earlier = UserFactory(username="earlier-editor", is_staff=True)
    earlier.groups.add(*editor.groups.all())
    person = cited_profile(slug="cai-qi", name="Cai Qi")
    publishing.profile_submit(person=person, user=earlier)
    publish(person=person, user=reviewer)
    person.refresh_from_db()
    person.native_name_lang = "zh-Hant"
    editing.record_save(record=person, user=editor, reason="Script of the native name")
    publishing.profile_submit(person=person, user=editor)
    revision = publish(person=person, user=reviewer, comment="Script corrected")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notices.profiles_published(revisions=[revision], user=reviewer, note="Thanks, well sourced")
    [message] = mail.outbox
    assert message.to == ["editor@example.org"]
    assert message.subject == "Published: Cai Qi"
    assert "revision 2" in message.body and "Thanks, well sourced" in message.body
    assert "Script corrected" in message.body
    assert "https://bios.example.org/people/cai-qi/revisions/2/" in message.body


def test_nothing_is_sent_when_notices_are_off_or_the_step_is_rolled_back(
    settings, editor, reviewer, django_capture_on_commit_callbacks
):
    person = cited_profile(slug="cai-qi")
    settings.NOTIFY_BY_EMAIL = False
    with django_capture_on_commit_callbacks(execute=True):
        notices.profile_submitted(person=person, user=editor)
    settings.NOTIFY_BY_EMAIL = True
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                notices.profile_submitted(person=person, user=editor)
                raise RuntimeError("the step failed")
        except RuntimeError:
            pass
    assert callbacks == [] and mail.outbox == []


def test_a_failing_mail_server_does_not_undo_the_step(
    settings, editor, reviewer, django_capture_on_commit_callbacks, caplog
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    with django_capture_on_commit_callbacks(execute=True):
        notices.profile_submitted(person=cited_profile(slug="cai-qi"), user=editor)
    assert "Could not send 1 review notice" in caplog.text


def test_the_demo_settings_print_notices_to_the_console():
    import subprocess
    import sys

    code = "from django.conf import settings; print(settings.NOTIFY_BY_EMAIL, settings.EMAIL_BACKEND)"
    env = {"DEBUG": "1", "DJANGO_SETTINGS_MODULE": "bioproject.settings", "PATH": "/usr/bin:/bin"}
    shown = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert shown == ["True", "django.core.mail.backends.console.EmailBackend"]
    env["DEBUG"] = "0"
    shown = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert shown == ["False", "django.core.mail.backends.smtp.EmailBackend"]
