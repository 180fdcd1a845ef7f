"""``{% saved_filters page query %}``: a list page's saved filters (links, each with its delete
button) and the form saving the filters shown, as one shared component of the list pages."""

from django import template

from workspace import saved_filters as service

register = template.Library()


@register.inclusion_tag("workspace/includes/saved_filters.html", takes_context=True)
def saved_filters(context, page: str, query: str) -> dict:
    user = context["request"].user
    return {"saved_filters": service.links(user=user, page=page, current=query), "filter_page": page,
            "filter_query": query, "csrf_token": context.get("csrf_token")}
