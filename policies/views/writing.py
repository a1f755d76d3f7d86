"""Comms leads' pages: create a document, edit its draft (with preview), send it for approval, publish, retire."""

from __future__ import annotations

from django.contrib import messages
from django.forms.utils import ErrorDict
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST

from policies.access import WRITER_ROLES, document_writer
from policies.comparing import texts_compare
from policies.forms import DocumentForm, DraftForm, NewDocumentForm, PreviewForm, RetireForm, ReturnForm, SubmitForm
from policies.models import Category, DocumentVersion
from policies.playbooks import steps_source
from policies.rendering import markdown_render
from policies.services import (
    DraftConflict,
    PolicyError,
    category_needs_approval,
    document_create,
    document_retire,
    document_update_details,
    draft_discard,
    draft_for,
    draft_return,
    draft_save,
    draft_start,
    draft_submit,
    version_publish,
)
from socialgov.people.access import role_required

Status = DocumentVersion.Status


def _previewing(form):
    """Show what was typed without judging it: a preview is not a save, so no errors yet."""
    form._errors = ErrorDict()
    return form


def _crumbs(document=None, *trail):
    crumbs = [("Home", reverse("web:home")), ("Policies and guidance", reverse("policies:list"))]
    if document is not None:
        url = reverse("policies:detail", kwargs={"slug": document.slug}) if document.current_version_id else None
        crumbs.append((document.title, url))
    return crumbs + list(trail)


@role_required(*WRITER_ROLES)
def drafts(request):
    """Every open draft, those waiting for this person's approval first."""
    versions = list(
        DocumentVersion.objects.open_draft()
        .select_related("document", "author", "approver", "updated_by")
        .order_by("document__title")
    )
    mine = [v for v in versions if v.status == Status.SUBMITTED and v.approver_id == request.user.pk]
    others = [v for v in versions if v not in mine]
    context = {
        "waiting_for_me": mine,
        "others": others,
        "breadcrumbs": _crumbs(None, ("Drafts", None)),
    }
    return render(request, "policies/drafts.html", context)


@role_required(*WRITER_ROLES)
def document_new(request):
    form = NewDocumentForm(request.POST or None, initial={"owner": request.user.email, "is_for_everyone": True})
    preview = None
    if request.method == "POST" and "preview" in request.POST:
        preview = markdown_render(request.POST.get("body", "")).html
        _previewing(form)
    elif form.is_valid():
        document = document_create(
            author=request.user,
            slug=form.cleaned_data["slug"],
            body=form.cleaned_data["body"],
            **{k: v for k, v in form.details().items() if k not in {"body", "slug"}},
            **form.audience(),
        )
        messages.success(request, f"{document.title} is saved as a draft.")
        return redirect("policies:draft", slug=document.slug)
    context = {"form": form, "preview": preview, "breadcrumbs": _crumbs(None, ("New document", None))}
    return render(request, "policies/document_form.html", context, status=400 if form.errors else 200)


@document_writer
def document_edit(request, document):
    form = DocumentForm(request.POST or None, instance=document)
    if request.method == "POST" and form.is_valid():
        document_update_details(document=document, actor=request.user, **form.details(), **form.audience())
        messages.success(request, f"The details of {document.title} are saved.")
        return redirect("policies:draft", slug=document.slug)
    context = {"form": form, "document": document, "breadcrumbs": _crumbs(document, ("Details", None))}
    return render(request, "policies/document_form.html", context, status=400 if form.errors else 200)


@document_writer
def draft(request, document):
    """The document's draft: start one, edit it, preview it, or see it waiting for approval."""
    version = draft_for(document)
    action = request.POST.get("action", "")
    if request.method == "POST" and action == "start":
        try:
            version = draft_start(document=document, author=request.user)
        except PolicyError as error:
            messages.error(request, str(error))
        return redirect("policies:draft", slug=document.slug)
    if version is None:
        context = {"document": document, "breadcrumbs": _crumbs(document, ("Draft", None))}
        return render(request, "policies/draft_none.html", context)
    if request.method == "POST" and action == "discard":
        draft_discard(version=version, actor=request.user)
        messages.success(request, "The draft is discarded.")
        if document.current_version_id:
            return redirect("policies:detail", slug=document.slug)
        return redirect("policies:drafts")
    if request.method == "POST" and version.status != Status.DRAFT:
        messages.error(request, "This draft is waiting for approval: withdraw it before you change it.")
        return redirect("policies:draft", slug=document.slug)
    has_published = document.current_version_id is not None
    is_playbook = document.category == Category.PLAYBOOK
    initial = {
        "body": version.body,
        "change": version.change,
        "what_changed": version.what_changed,
        "steps": steps_source(version.steps),
        "revision": version.revision,
    }
    form = DraftForm(request.POST or None, initial=initial, has_published=has_published, is_playbook=is_playbook)
    preview = conflict = None
    status = 200
    if request.method == "POST":
        if action == "preview":
            preview = markdown_render(request.POST.get("body", "")).html
            _previewing(form)
        elif form.is_valid():
            try:
                draft_save(
                    version=version,
                    editor=request.user,
                    body=form.cleaned_data["body"],
                    change=form.cleaned_data["change"],
                    what_changed=form.cleaned_data["what_changed"],
                    revision=form.cleaned_data["revision"],
                    steps=form.cleaned_data.get("steps") if is_playbook else None,
                )
            except DraftConflict as error:
                # Keep what they typed, and let their next save go on top of the text they have now seen.
                conflict = error.current
                data = request.POST.copy()
                data["revision"] = conflict.revision
                form = DraftForm(data, has_published=has_published, is_playbook=is_playbook)
                form.is_valid()
                form.add_error(None, str(error))
                status = 409
            except PolicyError as error:
                messages.error(request, str(error))
                return redirect("policies:draft", slug=document.slug)
            else:
                messages.success(request, "Your changes are saved.")
                return redirect("policies:draft", slug=document.slug)
        else:
            status = 400
    context = {
        "document": document,
        "version": version,
        "form": form,
        "preview": preview,
        "conflict": conflict,
        "conflict_comparison": texts_compare(conflict.body, form.data.get("body", "")) if conflict else None,
        "needs_approval": category_needs_approval(document.category),
        "comparison": texts_compare(document.current_version.body, version.body) if has_published else None,
        "is_approver": version.approver_id == request.user.pk,
        "return_form": ReturnForm(),
        "breadcrumbs": _crumbs(document, ("Draft", None)),
    }
    return render(request, "policies/draft.html", context, status=status)


@role_required(*WRITER_ROLES)
@require_POST
def preview(request):
    """The live preview: the same rendering and sanitising as saving, for the editor's script."""
    form = PreviewForm(request.POST)
    body = form.cleaned_data["body"] if form.is_valid() else ""
    html = render_to_string("policies/_preview.html", {"preview": markdown_render(body).html})
    return HttpResponse(html)


@document_writer
def draft_submit_view(request, document):
    version = draft_for(document)
    if version is None or version.status != Status.DRAFT:
        messages.error(request, "There is no draft to send for approval.")
        return redirect("policies:draft", slug=document.slug)
    form = SubmitForm(request.POST or None, version=version, submitter=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            draft_submit(version=version, actor=request.user, approver=form.cleaned_data["approver"])
        except PolicyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{document.title} is sent to {form.cleaned_data['approver']} for approval.")
            return redirect("policies:draft", slug=document.slug)
    context = {
        "document": document,
        "version": version,
        "form": form,
        "breadcrumbs": _crumbs(
            document, ("Draft", reverse("policies:draft", kwargs={"slug": document.slug})), ("Send for approval", None)
        ),
    }
    return render(request, "policies/draft_submit.html", context, status=400 if form.errors else 200)


@document_writer
@require_POST
def draft_publish(request, document):
    version = draft_for(document)
    if version is None:
        messages.error(request, "There is no draft to publish.")
        return redirect("policies:draft", slug=document.slug)
    try:
        version = version_publish(version=version, actor=request.user)
    except PolicyError as error:
        messages.error(request, str(error))
        return redirect("policies:draft", slug=document.slug)
    messages.success(request, f"{document.title} {version.label} is published.")
    return redirect("policies:detail", slug=document.slug)


@document_writer
@require_POST
def draft_return_view(request, document):
    version = draft_for(document)
    form = ReturnForm(request.POST)
    if version is None:
        messages.error(request, "There is no draft to return.")
        return redirect("policies:draft", slug=document.slug)
    withdrawing = version.author_id == request.user.pk and version.approver_id != request.user.pk
    note = request.POST.get("note", "").strip()[:500]
    if not withdrawing and not form.is_valid():
        messages.error(request, "Say what needs to change, so the author can fix it.")
        return redirect("policies:draft", slug=document.slug)
    try:
        draft_return(version=version, actor=request.user, note=note)
    except PolicyError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The draft is withdrawn." if withdrawing else "The draft is returned to its author.")
    return redirect("policies:draft", slug=document.slug)


@document_writer
def document_retire_view(request, document):
    form = RetireForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            document_retire(document=document, actor=request.user, reason=form.cleaned_data["reason"])
        except PolicyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{document.title} is retired. Nobody will be asked to read it.")
            return redirect("policies:list")
    context = {"document": document, "form": form, "breadcrumbs": _crumbs(document, ("Retire", None))}
    return render(request, "policies/document_retire.html", context, status=400 if form.errors else 200)
