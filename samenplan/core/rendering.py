from django.shortcuts import render


def render_page(request, template: str, context: dict, *, partial: str | None = None, status: int = 200):
    """Renders the whole page, or only `partial` of it for an htmx request, from one template."""
    if partial and request.headers.get("HX-Request"):
        template = f"{template}#{partial}"
    return render(request, template, context, status=status)
