"""Pages of the architecture model: thin, each calls one service or selector."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import diagram, exports, policy, selectors, services, versions
from .forms import CompareForm, ComponentForm, ConnectionForm, PublishForm
from .models import Component, Connection


def _reader(request: HttpRequest) -> None:
    if not policy.can_read(request.user):
        raise Http404


def _editor(request: HttpRequest) -> None:
    _reader(request)
    if not policy.can_edit(request.user):
        raise PermissionDenied


def _link(item: dict) -> str:
    return reverse("architecture:component", args=[item["id"]])


def _picture(content: dict, **options) -> tuple[str, str]:
    """(the SVG, safe to place inline, or "", the reason it is missing)."""
    try:
        return mark_safe(diagram.svg(diagram.source(content, link=_link, **options))), ""  # noqa: S308 - checked SVG
    except diagram.DiagramError:
        return "", _("The diagram cannot be drawn now: Graphviz is not available on the server.")


@login_required
def index(request: HttpRequest) -> HttpResponse:
    _reader(request)
    content = versions.freeze()
    picture, problem = _picture(content)
    return render(request, "architecture/index.html", {
        "layers": versions.by_layer(content), "connections": versions.connections(content),
        "diagram": picture, "diagram_problem": problem, "can_edit": policy.can_edit(request.user),
        "latest": selectors.versions_for(request.user).first()})


@login_required
def component(request: HttpRequest, pk: int) -> HttpResponse:
    _reader(request)
    item = selectors.component_for(request.user, pk)
    links = list(selectors.connections_of(request.user, item))
    content = versions.freeze()
    keys = {item.snapshot_key} | {link.source.snapshot_key for link in links} | {
        link.target.snapshot_key for link in links}
    picture, problem = _picture(content, keys=keys, edge_labels=True, include_retired=True)
    return render(request, "architecture/component.html", {
        "component": item, "links": links, "diagram": picture, "diagram_problem": problem,
        "can_edit": policy.can_edit(request.user)})


def _save(request: HttpRequest, form_class, instance, service, template: str, title: str) -> HttpResponse:
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        saved = service(acting_user=request.user, **{form_class._meta.model._meta.model_name: form.save(commit=False)})
        messages.success(request, _("Saved."))
        target = saved if isinstance(saved, Component) else saved.source
        return redirect("architecture:component", target.pk)
    return render(request, template, {"form": form, "title": title, "instance": instance},
                  status=400 if request.method == "POST" else 200)


@login_required
def component_new(request: HttpRequest) -> HttpResponse:
    _editor(request)
    return _save(request, ComponentForm, None, services.save_component, "architecture/edit.html",
                 _("New component"))


@login_required
def component_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _editor(request)
    item = selectors.component_for(request.user, pk)
    if item.generated:
        raise Http404
    return _save(request, ComponentForm, item, services.save_component, "architecture/edit.html",
                 _("Change the component"))


@login_required
def connection_new(request: HttpRequest) -> HttpResponse:
    _editor(request)
    instance = Connection()
    if (source := request.GET.get("source", "")).isdigit():
        instance.source = Component.objects.filter(pk=int(source)).first()  # type: ignore[assignment]
    return _save(request, ConnectionForm, instance, services.save_connection, "architecture/edit.html",
                 _("New connection"))


@login_required
def connection_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _editor(request)
    item = selectors.connection_for(request.user, pk)
    if item.generated:
        raise Http404
    return _save(request, ConnectionForm, item, services.save_connection, "architecture/edit.html",
                 _("Change the connection"))


@login_required
@require_POST
def synchronise(request: HttpRequest) -> HttpResponse:
    _editor(request)
    result = services.synchronise(acting_user=request.user)
    messages.success(request, _("Synchronised from the configuration: %(created)d added, %(updated)d changed, "
                                "%(retired)d retired.") % {"created": len(result.created),
                                                           "updated": len(result.updated),
                                                           "retired": len(result.retired)})
    return redirect("architecture:index")


@login_required
def version_list(request: HttpRequest) -> HttpResponse:
    _reader(request)
    items = list(selectors.versions_for(request.user))
    return render(request, "architecture/versions.html", {
        "versions": items, "publish_form": PublishForm(), "can_edit": policy.can_edit(request.user),
        "compare_form": CompareForm(numbers=[v.number for v in items]) if items else None})


@login_required
@require_POST
def publish(request: HttpRequest) -> HttpResponse:
    _editor(request)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The note is too long."))
        return redirect("architecture:versions")
    version = services.publish_version(acting_user=request.user, note=form.cleaned_data["note"])
    messages.success(request, _("Version %(number)d published.") % {"number": version.number})
    return redirect("architecture:versions")


@login_required
def compare(request: HttpRequest) -> HttpResponse:
    _reader(request)
    numbers = list(selectors.versions_for(request.user).values_list("number", flat=True))
    form = CompareForm(request.GET or None, numbers=numbers)
    if not numbers or not form.is_valid():
        return render(request, "architecture/compare.html", {"form": form, "difference": None},
                      status=400 if request.GET else 200)
    before = selectors.version_for(request.user, form.cleaned_data["before"])
    after_choice = form.cleaned_data["after"]
    after = None if after_choice == "current" else selectors.version_for(request.user, int(after_choice))
    difference = versions.compare(before.content, after.content if after else versions.freeze())
    return render(request, "architecture/compare.html", {
        "form": form, "before": before, "after": after, "difference": difference,
        "sections": [(_("Components"), difference["components"]), (_("Connections"), difference["connections"])]})


@login_required
def export_pdf(request: HttpRequest) -> HttpResponse:
    _reader(request)
    version = None
    if (number := request.GET.get("version", "")).isdigit():
        version = selectors.version_for(request.user, int(number))
    content = version.content if version else versions.freeze()
    try:
        body = exports.pdf(content, version=version)
    except diagram.DiagramError:
        return HttpResponse(_("The diagram cannot be drawn now: Graphviz is not available on the server."),
                            status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(version)}"'
    return response
