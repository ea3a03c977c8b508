"""URL fields that accept only web links (http and https)."""

from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models

WEB_SCHEMES = ("http", "https")


class WebURLValidator(URLValidator):
    """Refuse every scheme but http and https, and say so plainly."""

    def __init__(self, **kwargs):
        super().__init__(schemes=list(WEB_SCHEMES), **kwargs)

    def __call__(self, value):
        try:
            scheme = urlsplit(str(value).strip()).scheme.lower() if ":" in str(value) else ""
        except ValueError:  # e.g. a host with an unmatched "[" ("Invalid IPv6 URL")
            raise ValidationError(self.message, code=self.code, params={"value": value}) from None
        if scheme not in WEB_SCHEMES:
            shown = f"“{scheme}:” links" if scheme else "Links without http:// or https://"
            raise ValidationError(
                "%(shown)s are not allowed: give an http:// or https:// address.",
                code="url_scheme",
                params={"shown": shown},
            )
        super().__call__(value)


def normalize_web_url(value):
    """Trim the URL and lower-case its scheme, so HTTPS://… is stored as https://…."""
    value = (value or "").strip()
    scheme, sep, rest = value.partition(":")
    if sep and scheme.lower() in WEB_SCHEMES:
        return scheme.lower() + sep + rest
    return value


class WebURLFormField(forms.URLField):
    default_validators = [WebURLValidator()]

    def __init__(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)

    def to_python(self, value):
        return super().to_python(normalize_web_url(value))


class WebURLField(models.URLField):
    default_validators = [WebURLValidator()]

    def to_python(self, value):
        return normalize_web_url(super().to_python(value))

    def pre_save(self, model_instance, add):
        value = normalize_web_url(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": WebURLFormField, **kwargs})
