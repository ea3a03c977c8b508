"""What every admin of the project shares: revision history with an edit summary."""

from django import forms
from simple_history.admin import SimpleHistoryAdmin


class EditSummaryForm(forms.ModelForm):
    edit_summary = forms.CharField(
        required=False, max_length=250,
        help_text="Briefly say what you changed and why, e.g. “Start date from Xinhua obituary”. "
                  "It is kept in the history with your name.",
        widget=forms.TextInput(attrs={"size": 80}),
    )


class HistoryAdmin(SimpleHistoryAdmin):
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
