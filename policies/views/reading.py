"""Staff-facing pages: find documents, read them, acknowledge them, compare versions, print."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from policies.access import OVERSIGHT_ROLES, WRITER_ROLES, document_reader
from policies.comparing import texts_compare
from policies.forms import AcknowledgeForm
from policies.models import Category, Document, DocumentVersion, Severity
from policies.search import published_search, snippet
from policies.selectors import owed_by
from policies.services import PolicyError, acknowledgement_record
from socialgov.people.roles import has_role

PAGE_SIZE = 20
Status = DocumentVersion.Status


def _crumbs(*trail):
    return [("Home", reverse("web:home")), ("Policies and guidance", reverse("policies:list")), *trail]


SEVERITY_RANK = {value: rank for rank, value in enumerate(Severity.values)}


def help_now(request):
    """“I need help now”: every published playbook by the question it answers, most serious first. Works on a phone."""
    versions = DocumentVersion.objects.filter(
        status=Status.PUBLISHED, document__is_retired=False, document__category=Category.PLAYBOOK
    ).select_related("document")
    playbooks = sorted(versions, key=lambda v: (SEVERITY_RANK.get(v.document.severity, 9), v.document.help_question))
    context = {
        "playbooks": playbooks,
        "breadcrumbs": [("Home", reverse("web:home")), ("I need help now", None)],
    }
    return render(request, "policies/help_now.html", context)


def document_list(request):
    """Browse or search published documents; the ones this person must acknowledge are marked."""
    query = request.GET.get("q", "").strip()[:200]
    category = request.GET.get("category", "")
    if category not in Category.values:
        category = ""
    if query:
        versions = published_search(query, category=category)
    else:
        versions = DocumentVersion.objects.filter(status=Status.PUBLISHED, document__is_retired=False).select_related(
            "document"
        )
        if category:
            versions = versions.filter(document__category=category)
        versions = versions.order_by("document__title")
    page = Paginator(versions, PAGE_SIZE).get_page(request.GET.get("page"))
    owed = {o.document.pk for o in owed_by(request.user)}
    hits = [(version, snippet(version, query) if query else None, version.document_id in owed) for version in page]
    querystring = request.GET.copy()
    querystring.pop("page", None)
    context = {
        "page": page,
        "hits": hits,
        "query": query,
        "category": category,
        "categories": Category.choices,
        "querystring": querystring.urlencode(),
        "is_writer": has_role(request.user, *WRITER_ROLES),
        "breadcrumbs": [("Home", reverse("web:home")), ("Policies and guidance", None)],
    }
    return render(request, "policies/document_list.html", context)


def _owed_for(request, document: Document):
    return next((o for o in owed_by(request.user) if o.document.pk == document.pk), None)


@document_reader
def document_detail(request, document: Document):
    """The current published version, with the acknowledgement form for people who must read it."""
    if document.current_version_id is None:
        return redirect("policies:draft", slug=document.slug)
    return _version_page(request, document, document.current_version)


@document_reader
def version_detail(request, document: Document, pk: int):
    version = get_object_or_404(DocumentVersion.objects.select_related("document"), pk=pk, document=document)
    if version.is_open and not has_role(request.user, *WRITER_ROLES):
        raise Http404("No such version.")
    return _version_page(request, document, version)


def _version_page(request, document: Document, version: DocumentVersion, form: AcknowledgeForm | None = None):
    owed = _owed_for(request, document) if version.status == Status.PUBLISHED else None
    if owed and form is None:
        form = AcknowledgeForm(initial={"version": version.pk})
    history = document.versions.exclude(status__in=[Status.DRAFT, Status.SUBMITTED]).order_by("-published_at")
    context = {
        "document": document,
        "version": version,
        "owed": owed,
        "form": form,
        "versions": history,
        "is_writer": has_role(request.user, *WRITER_ROLES),
        "can_oversee": document.owner_id == request.user.pk or has_role(request.user, *OVERSIGHT_ROLES),
        "show_contents": len(version.contents) >= 3,
        "breadcrumbs": _crumbs((document.title, None)),
    }
    status = 400 if form is not None and form.errors else 200
    return render(request, "policies/document_detail.html", context, status=status)


@document_reader
@require_POST
def acknowledge(request, document: Document):
    form = AcknowledgeForm(request.POST)
    if not form.is_valid():
        version = document.current_version
        if version is None:
            raise Http404("Nothing to acknowledge.")
        return _version_page(request, document, version, form=form)
    versions = DocumentVersion.objects.select_related("document")
    version = get_object_or_404(versions, pk=form.cleaned_data["version"], document=document)
    try:
        acknowledgement_record(version=version, person=request.user)
    except PolicyError as error:
        messages.error(request, str(error))
        return redirect("policies:detail", slug=document.slug)
    messages.success(request, f"Thank you. You have acknowledged {document.title}, {version.label}.")
    return redirect("web:home")


@document_reader
def version_compare(request, document: Document):
    """Compare any two versions; by default the current one with the one before it."""
    visible = document.versions.select_related("document")
    if not has_role(request.user, *WRITER_ROLES):
        visible = visible.exclude(status__in=[Status.DRAFT, Status.SUBMITTED])
    choices = list(visible.order_by("-created_at"))
    if len(choices) < 2:
        messages.info(request, "There is only one version so far: there is nothing to compare it with.")
        return redirect("policies:detail", slug=document.slug)
    by_pk = {str(v.pk): v for v in choices}
    new = by_pk.get(request.GET.get("to", "")) or choices[0]
    older = [v for v in choices if v.created_at < new.created_at]
    old = by_pk.get(request.GET.get("from", "")) or (older[0] if older else choices[-1])
    context = {
        "document": document,
        "old": old,
        "new": new,
        "choices": choices,
        "comparison": texts_compare(old.body, new.body),
        "breadcrumbs": _crumbs(
            (document.title, reverse("policies:detail", kwargs={"slug": document.slug})), ("Compare versions", None)
        ),
    }
    return render(request, "policies/version_compare.html", context)


@document_reader
def document_print(request, document: Document):
    """A plain page for printing or saving as PDF: the text, its version and dates, nothing else."""
    version = document.current_version
    pk = request.GET.get("version", "")
    if pk.isdigit():
        version = get_object_or_404(DocumentVersion, pk=int(pk), document=document)
    if version is None or (version.is_open and not has_role(request.user, *WRITER_ROLES)):
        raise PermissionDenied("Only published versions can be printed.")
    return render(request, "policies/document_print.html", {"document": document, "version": version})
