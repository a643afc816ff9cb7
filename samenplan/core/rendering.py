from django.shortcuts import render


def render_page(request, template: str, context: dict, *, partial: str | None = None, status: int = 200):
    """Renders the whole page, or only `partial` of it for an htmx request, from one template."""
    if partial and request.headers.get("HX-Request"):
        template = f"{template}#{partial}"
    return render(request, template, context, status=status)


def run_form_action(form, action, *, field_names: dict[str, str] | None = None):
    """Runs a service for a valid form; a ValidationError from the service lands on the form.

    Rules that span fields the form does not show (such as a location name unique within its
    organisation) live in the model and are checked by the service, not duplicated in forms.
    `field_names` maps the service's name of a field to the form's where they differ (a peer
    review's `section_feedback.veiligheid` is the box `feedback_veiligheid`), so the message lands
    on that field and the error summary can say where it is.
    """
    from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

    try:
        return action()
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                field = (field_names or {}).get(field, field)
                form.add_error(field if field in form.fields else NON_FIELD_ERRORS, errors)
        else:
            form.add_error(NON_FIELD_ERRORS, error)
        return None
