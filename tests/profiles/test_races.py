"""Races between writers and a reviewer publishing: a published revision never mixes two states of
the working copy. Every writer takes the profile's lock before its first write (bioproject.writes)
and publishing takes the same lock before it reads, so a revision is one consistent snapshot.

On SQLite one writer at a time is the database's own rule; the race is run on PostgreSQL, where
READ COMMITTED statements would otherwise each see a different moment.
"""

import os
import threading
import time

import pytest
from django.db import connection

from profiles import editing, publishing, workflow
from profiles.models import Person, Position, PublishedRevision
from sources.models import Citation
from tests.factories import CitationFactory, PositionFactory, SourceFactory, cited_profile, publish

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="PostgreSQL only: SQLite already serializes writers"
    ),
]

# The race runs until both sides did enough work to have met often, not for a fixed time: on a
# loaded machine (parallel test workers) four seconds held as few as four publications.
WRITES, PUBLISHED = 21, 11
LIMIT_SECONDS = float(os.environ.get("RACE_SECONDS", "90"))


def torn(revision):
    """Whether a revision mixes the role of one save with the quote of another."""
    membership = revision.document["memberships"][0]
    role = membership["role"].removeprefix("Role ")
    quotes = {c["quote"].removeprefix("Quote ") for c in membership["citations"]}
    return quotes != {role}


def test_a_writer_racing_a_publishing_reviewer_never_produces_a_torn_revision(editor, reviewer):
    source = SourceFactory(archived_text="")  # no archive: quotes are "not checked", never refused
    person = cited_profile(slug="race", positions=0, events=0, source=source)
    position = PositionFactory(person=person, role="Role 0")
    CitationFactory(person=person, position=position, source=source, quote="Quote 0")
    publish(person=person, user=reviewer)
    deadline = time.monotonic() + LIMIT_SECONDS
    errors, counts = [], {"writes": 0, "published": 0, "refused": 0}

    def racing():
        enough = counts["writes"] >= WRITES and counts["published"] >= PUBLISHED
        return not enough and not errors and time.monotonic() < deadline

    def writer():
        try:
            number = 0
            while racing():
                number += 1
                with editing.profile_edit(user=editor, reason="race"):
                    row = Position.objects.get(pk=position.pk)
                    row.role = f"Role {number}"
                    row.save()
                    time.sleep(0.002)  # widen the window between the two writes of one save
                    citation = Citation.objects.get(position=row)
                    citation.quote = f"Quote {number}"
                    citation.save()
                counts["writes"] += 1
                # Now and then a pause, in which the reviewer can read a state that stays.
                time.sleep(0.03 if number % 4 == 0 else 0)
        except Exception as error:  # reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    def reviewer_loop():
        try:
            while racing():
                person_now = Person.objects.get(pk=person.pk)
                try:
                    # The digest may be read between the writer's two writes: then it names a
                    # state that never committed, and the approval is refused.
                    seen = publishing.working_digest(person_now)
                    publishing.profile_publish(person=person_now, user=reviewer, seen=seen)
                    counts["published"] += 1
                except (publishing.PublishingRefused, workflow.ActionRefused):  # moved, or nothing new
                    counts["refused"] += 1
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer), threading.Thread(target=reviewer_loop)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    revisions = list(PublishedRevision.objects.filter(person=person))
    assert counts["writes"] > 20 and counts["published"] > 10, counts
    assert [r.number for r in revisions if torn(r)] == [], counts
    print(f"race: {counts}, {len(revisions)} revisions, 0 torn")
