"""Incident pages: open one, run its checklist, see who is on call, acknowledge a page. Thin: services decide."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from incidents.access import incident_viewer, visible_incidents
from incidents.forms import ActionForm, BreachOutcomeForm, NoteForm, OpenForm, ReviewForm
from incidents.models import IncidentStep, ReviewAction
from incidents.services import (
    IncidentError,
    action_add,
    action_settle,
    breach_mark,
    breach_record,
    close_blockers,
    incident_acknowledge,
    incident_close,
    incident_open,
    note_add,
    page_acknowledge,
    review_save,
    step_done,
    step_take,
)


def _crumbs(*trail):
    return [("Home", reverse("web:home")), ("Incidents", reverse("incidents:list") if trail else None), *trail]


def incident_list(request):
    """Open incidents first, then the closed ones this person can see."""
    incidents = visible_incidents(request.user)
    context = {
        "open": [i for i in incidents if i.is_open],
        "closed": [i for i in incidents if not i.is_open][:50],
        "breadcrumbs": _crumbs(),
    }
    return render(request, "incidents/incident_list.html", context)


def incident_new(request):
    """Anyone signed in can open an incident, from a playbook or ad hoc, at any hour."""
    initial = {}
    if request.GET.get("playbook", "").isdigit():
        initial["playbook"] = int(request.GET["playbook"])
    form = OpenForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            incident = incident_open(
                opened_by=request.user,
                playbook=form.cleaned_data["playbook"],
                title=form.cleaned_data["title"],
                severity=form.cleaned_data["severity"],
                account=form.cleaned_data["account"],
            )
        except IncidentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Incident opened. Whoever is on call has been paged.")
            return redirect("incidents:detail", pk=incident.pk)
    return render(
        request, "incidents/incident_new.html", {"form": form, "breadcrumbs": _crumbs(("Open an incident", None))}
    )


FORMS = {"note": NoteForm, "review": ReviewForm, "action_add": ActionForm, "breach_outcome": BreachOutcomeForm}


def _forms(incident, bound: dict | None = None) -> dict:
    initial = {"review": {"what_happened": incident.review_what_happened, "what_worked": incident.review_what_worked}}
    forms = {name: form_class(initial=initial.get(name), auto_id=f"{name}-%s") for name, form_class in FORMS.items()}
    return forms | (bound or {})


def _submit(request, incident, name: str, form) -> str:
    """Hand a valid text form to its service; returns the success message."""
    data = form.cleaned_data
    if name == "note":
        note_add(incident=incident, by=request.user, text=data["text"])
        return "Added to the timeline."
    if name == "review":
        review_save(incident=incident, by=request.user, what_happened=data["what_happened"],
                    what_worked=data["what_worked"])  # fmt: skip
        return "Review saved."
    if name == "action_add":
        action_add(incident=incident, by=request.user, description=data["description"], owner=data["owner"],
                   due_on=data["due_on"])  # fmt: skip
        return f"Action added for {data['owner']}. They will be reminded before it is due."
    breach_record(incident=incident, by=request.user, outcome=data["outcome"], note=data["note"])
    return "Breach outcome recorded. The reminders have stopped."


@incident_viewer
def incident_detail(request, incident):
    """The live checklist, who is on call now, the timeline, the breach clock and the review.

    Forms that take text post here, so a mistake shows the page again with what was typed kept.
    """
    from socialgov.rota.selectors import on_call_at

    bound, status = {}, 200
    name = request.POST.get("form", "")
    if request.method == "POST" and name in FORMS:
        form = FORMS[name](request.POST, auto_id=f"{name}-%s")
        if form.is_valid():
            try:
                messages.success(request, _submit(request, incident, name, form))
                return redirect(reverse("incidents:detail", kwargs={"pk": incident.pk}) + f"#{name}")
            except IncidentError as error:
                form.add_error(None, str(error))
        bound, status = {name: form}, 400
    now = timezone.now()
    steps = list(incident.steps.select_related("owner", "done_by"))
    context = {
        "incident": incident,
        "steps": [(step, step.is_overdue(now)) for step in steps],
        "done": sum(step.done_at is not None for step in steps),
        "timeline": incident.timeline.select_related("actor"),
        "actions": incident.actions.select_related("owner"),
        "blockers": close_blockers(incident) if incident.is_open else [],
        "on_call": on_call_at(now),
        "forms": _forms(incident, bound),
        "breadcrumbs": _crumbs((incident.title, None)),
    }
    return render(request, "incidents/incident_detail.html", context, status=status)


@incident_viewer
@require_POST
def incident_action(request, incident):
    """The page's buttons: acknowledge, take or finish a step, mark a breach, settle an action, close."""
    action = request.POST.get("action", "")
    try:
        if action == "acknowledge":
            incident_acknowledge(incident=incident, by=request.user)
            messages.success(request, "You have the incident. Paging for it has stopped.")
        elif action in {"take", "done"}:
            step = get_object_or_404(IncidentStep, incident=incident, pk=_id(request.POST.get("step")))
            if action == "take":
                step_take(step=step, by=request.user)
                messages.success(request, f"Step {step.order} is yours.")
            else:
                step_done(step=step, by=request.user, note=request.POST.get("note", "")[:1000])
                messages.success(request, f"Step {step.order} done.")
        elif action == "breach":
            incident = breach_mark(incident=incident, by=request.user)
            messages.success(request, "The 72-hour clock has started. Everyone on the incident will be reminded.")
        elif action in {"action_done", "action_not_doing"}:
            review_action = get_object_or_404(
                ReviewAction, incident=incident, pk=_id(request.POST.get("review_action"))
            )
            status = ReviewAction.Status.DONE if action == "action_done" else ReviewAction.Status.NOT_DOING
            action_settle(action=review_action, by=request.user, status=status, reason=request.POST.get("reason", ""))
            messages.success(request, "Action updated.")
        elif action == "close":
            incident_close(incident=incident, by=request.user)
            messages.success(request, "Incident closed.")
        else:
            raise IncidentError("That is not something this page can do.")
    except IncidentError as error:
        messages.error(request, str(error))
    return redirect(reverse("incidents:detail", kwargs={"pk": incident.pk}))


def _id(value) -> int:
    return int(value) if str(value or "").isdigit() else 0


def acknowledge_link(request, token):
    """The link in a page: a page with one button, so an email scanner opening the link acknowledges nothing."""
    if request.method == "POST":
        try:
            page, outcome = page_acknowledge(token=token, by=request.user)
        except IncidentError as error:
            return render(request, "incidents/acknowledge.html", {"problem": str(error)}, status=403)
        messages.success(request, outcome)
        return redirect("incidents:detail", pk=page.incident_id)
    return render(request, "incidents/acknowledge.html", {"token": token})
