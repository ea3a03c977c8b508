"""A record's field values as JSON, and back: how a pending change keeps what an editor proposed."""


def field_values(instance, names):
    """{name: value} for these fields, as JSON can hold them (foreign keys as their key)."""
    values = {}
    for name in names:
        field = instance._meta.get_field(name)
        value = field.value_from_object(instance)
        if value is not None and not isinstance(value, str | int | bool | float):
            value = field.value_to_string(instance)
        values[name] = value
    return values


def apply_values(instance, values):
    """Set the fields of an (unsaved) instance from `field_values` output."""
    for name, value in values.items():
        field = instance._meta.get_field(name)
        if field.is_relation:
            setattr(instance, field.attname, value)
            if field.is_cached(instance):
                field.delete_cached_value(instance)
        else:
            setattr(instance, field.attname, field.to_python(value) if value is not None else None)
    return instance
