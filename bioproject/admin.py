"""What every admin of the project shares: revision history with an edit summary, and
autocomplete widgets that do not run a query per row to label their current value."""

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect
from simple_history.admin import SimpleHistoryAdmin


class LabelledAutocompleteSelect(AutocompleteSelect):
    """An autocomplete whose current value can be labelled from an object already loaded.

    Django's widget looks its selected object up again on every render: one query per inline
    row. The form hands it the related object it has (see KnownRelationsForm).
    """

    known = None  # {str(pk): label}

    def optgroups(self, name, value, attr=None):
        selected = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        if not self.known or not selected or not selected <= set(self.known):
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        for pk in sorted(selected):
            options.append(self.create_option(name, pk, self.known[pk], True, len(options)))
        return [(None, options, 0)]


class LabelledAutocompleteMixin:
    """For admins and inlines: autocomplete fields use LabelledAutocompleteSelect."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = LabelledAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class KnownRelationsForm(forms.ModelForm):
    """Gives its autocomplete widgets the related objects its instance has already loaded."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            return
        for name, field in self.fields.items():
            widget = getattr(field.widget, "widget", field.widget)
            if not isinstance(widget, LabelledAutocompleteSelect):
                continue
            model_field = self.instance._meta.get_field(name)
            if model_field.is_cached(self.instance):
                related = getattr(self.instance, name)
                if related is not None:
                    widget.known = {str(related.pk): field.label_from_instance(related)}


class EditSummaryForm(KnownRelationsForm):
    edit_summary = forms.CharField(
        required=False,
        max_length=250,
        help_text="Briefly say what you changed and why, e.g. “Start date from Xinhua obituary”. "
        "It is kept in the history with your name.",
        widget=forms.TextInput(attrs={"size": 80}),
    )


class HistoryAdmin(LabelledAutocompleteMixin, SimpleHistoryAdmin):
    """Base of every admin: history pages, and an edit summary that becomes the change reason."""

    form = EditSummaryForm
    list_per_page = 50

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (name, {**options, "fields": [f for f in options["fields"] if f != "edit_summary"]})
            for name, options in super().get_fieldsets(request, obj)
        ]
        return [*fieldsets, ("Edit summary", {"fields": ["edit_summary"]})]

    def save_model(self, request, obj, form, change):
        # Read by bioproject.history.History for this object and every inline saved with it.
        request.edit_summary = form.cleaned_data.get("edit_summary") or None
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        request.edit_summary = request.POST.get("edit_summary") or None
        super().delete_model(request, obj)
