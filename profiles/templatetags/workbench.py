"""The editors' and reviewers' workbench on the admin home: what waits for them, in a few queries."""

from django import template
from django.urls import reverse

from profiles import editing, workflow
from profiles.models import Person, ReviewAction

register = template.Library()

# Rows shown per list; the heading counts them all, and the full list is one click away.
SHOWN = 10


def shared_waiting():
    """Organizations and sources waiting for a reviewer, each with the moment it started to
    wait: its pending change's, or for a new record its creation."""
    items = editing.shared_review_queue()
    new = {}
    for item in items:
        if item["change"] is None:
            new.setdefault(type(item["record"]), []).append(item["record"].pk)
    created = {}
    for model, pks in new.items():
        rows = model.history.filter(id__in=pks, history_type="+").values_list("id", "history_date")
        created.update({(model, pk): moment for pk, moment in rows})
    return [
        {
            **item,
            "since": item["change"].created_at
            if item["change"]
            else created.get((type(item["record"]), item["record"].pk)),
            "url": reverse(
                f"admin:{item['record']._meta.app_label}_{item['record']._meta.model_name}_review",
                args=[item["record"].pk],
            ),
        }
        for item in items
    ]


def with_step_labels(people):
    labels = dict(ReviewAction.Action.choices)
    for person in people:
        person.last_action_label = labels.get(person.last_action, "")
    return people


@register.inclusion_tag("admin/includes/_workbench.html", takes_context=True)
def workbench(context):
    """The dashboard of the signed-in user: for reviewers what waits for review, for editors
    what came back to them and where their submissions stand."""
    user = context["request"].user
    board = {"reviewer": workflow.may(user, "publish"), "editor": workflow.may(user, "submit")}
    if board["reviewer"]:
        queue = Person.objects.review_queue()
        shared = shared_waiting()
        people = list(queue[:SHOWN])
        people_count = len(people) if len(people) < SHOWN else queue.count()
        board.update(
            people=people,
            people_count=people_count,
            shared=shared[:SHOWN],
            shared_count=len(shared),
            waiting_count=people_count + len(shared),
            queue_url=reverse("admin:profiles_person_review_queue"),
        )
    if board["editor"]:
        board.update(
            sent_back=with_step_labels(list(Person.objects.sent_back_to(user)[:SHOWN])),
            submissions=with_step_labels(list(Person.objects.submitted_by(user)[:SHOWN])),
        )
        # A reviewer who edits nothing has no use for two empty editors' lists.
        board["editor"] = not board["reviewer"] or bool(board["sent_back"] or board["submissions"])
    return board


@register.filter
def first_visible_number(revisions):
    """The number of the earliest revision readers may see (not hidden) in a list of them, which
    has no earlier one to be compared with; evaluates the list once, for the loop that follows."""
    numbers = [revision.number for revision in revisions if not revision.hidden_at]
    return min(numbers) if numbers else None
