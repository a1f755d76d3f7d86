"""The admin site for training: courses and their lessons are written here; the records are read-only.

Lessons are saved through ``lesson_save`` so their text is rendered and
sanitised, and a changed text becomes a new version (people's completions
keep the version they read).
"""

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from training.checker import PLATFORMS
from training.models import (
    Assignment,
    Attempt,
    Completion,
    Course,
    ElectionPeriod,
    HouseRules,
    Lesson,
    Licence,
    Option,
    Question,
    QuestionCategory,
    Quiz,
    QuizDraw,
    SupportAssessment,
    SupportLevel,
)
from training.post_checks import rule_choices, spot_post_problem, spot_question_sync
from training.services import lesson_save


class LessonInline(admin.StackedInline):
    model = Lesson
    fields = ["order", "title", "body", "version"]
    readonly_fields = ["version"]
    extra = 0


class CourseForm(forms.ModelForm):
    """Rules that cannot work are refused where they are written: refreshers in a loop, onboarding for nobody."""

    class Meta:
        model = Course
        fields = [
            "title", "slug", "summary", "estimated_minutes", "is_for_everyone", "audience_departments",
            "audience_roles", "is_for_public_facing", "support_levels", "is_onboarding", "due_within_days",
            "refresher_months", "refreshes", "is_published",
        ]  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        refreshes = cleaned.get("refreshes")
        chain, seen = [], set()
        while refreshes is not None:
            chain.append(refreshes.title)
            if (self.instance.pk and refreshes.pk == self.instance.pk) or refreshes.pk in seen:
                raise forms.ValidationError(
                    {"refreshes": "Courses cannot refresh each other in a circle: " + " → ".join(chain) + "."}
                )
            seen.add(refreshes.pk)
            refreshes = refreshes.refreshes
        has_audience = (
            cleaned.get("is_for_everyone")
            or cleaned.get("is_for_public_facing")
            or cleaned.get("audience_departments")
            or cleaned.get("audience_roles")
        )
        if cleaned.get("is_onboarding") and not has_audience:
            raise forms.ValidationError(
                {"is_onboarding": "An onboarding course needs an audience: everyone, departments, roles or "
                 "public-facing staff. Otherwise no new starter would be given it."}
            )  # fmt: skip
        levels = cleaned.get("support_levels") or []
        unknown = set(levels) - set(SupportLevel.values) if isinstance(levels, list) else {"(not a list)"}
        if unknown:
            raise forms.ValidationError(
                {"support_levels": f"Unknown support levels: {', '.join(sorted(unknown))}. Use {SupportLevel.values}."}
            )
        return cleaned


@admin.register(Course)
class CourseAdmin(SimpleHistoryAdmin):
    form = CourseForm
    list_display = ["title", "is_published", "is_onboarding", "refresher_months", "due_within_days"]
    list_filter = ["is_published", "is_onboarding"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["audience_departments", "audience_roles"]
    inlines = [LessonInline]

    def save_related(self, request, form, formsets, change):
        """A course's rules may have changed: assign it to whoever they now reach, once the save has committed."""
        super().save_related(request, form, formsets, change)
        from django.db import transaction

        from training.tasks import sync_assignments

        transaction.on_commit(sync_assignments.delay)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Lesson:
            return super().save_formset(request, form, formset, change)
        for lesson in formset.save(commit=False):
            lesson.course = form.instance
            body, title = lesson.body, lesson.title
            if lesson.pk:
                # Compare with the stored text, so only a real change makes a new version.
                lesson.body = Lesson.objects.get(pk=lesson.pk).body
            lesson_save(lesson=lesson, title=title, body=body)
        for lesson in formset.deleted_objects:
            lesson.delete()
        return None


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["person", "course", "source", "status", "due_on"]
    list_filter = ["status", "source", "course"]
    search_fields = ["person__email", "person__last_name", "course__title"]
    list_select_related = ["person", "course"]


@admin.register(Completion)
class CompletionAdmin(ReadOnlyAdmin):
    list_display = ["person", "course", "completed_at", "expires_on", "certificate_number"]
    list_filter = ["course"]
    search_fields = ["person__email", "certificate_number"]
    list_select_related = ["person", "course"]


@admin.register(Licence)
class LicenceAdmin(ReadOnlyAdmin):
    list_display = ["person", "granted_at", "expires_on", "lapsed_at", "lapse_reason"]
    search_fields = ["person__email"]
    list_select_related = ["person"]


@admin.register(SupportAssessment)
class SupportAssessmentAdmin(ReadOnlyAdmin):
    list_display = ["person", "level", "score", "taken_at"]
    list_filter = ["level"]
    search_fields = ["person__email"]
    list_select_related = ["person"]


class OptionForm(forms.ModelForm):
    """A spot-the-problem option may name a post checker rule; then the checker decides if it is correct."""

    rule = forms.ChoiceField(required=False, help_text="Spot the problem: the checker rule this option names.")

    class Meta:
        model = Option
        fields = ["order", "text", "is_correct", "rule"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule"].choices = [("", "None: I decide"), *rule_choices()]


class OptionInline(admin.TabularInline):
    model = Option
    form = OptionForm
    extra = 0


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["category", "kind", "text", "sample_post", "platform", "during_pre_election", "explanation",
                  "is_active"]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["platform"] = forms.ChoiceField(
            required=False,
            choices=[("", "Not a spot-the-problem question")] + [(p.code, p.name) for p in PLATFORMS.values()],
            help_text=self.fields["platform"].help_text,
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == Question.Kind.SPOT:
            sample_post = cleaned.get("sample_post") or ""
            unfit = spot_post_problem(sample_post, cleaned.get("platform") or "") if sample_post.strip() else (
                "A spot-the-problem question needs the sample post to show.")  # fmt: skip
            if unfit:
                self.add_error("sample_post", unfit)
        return cleaned


@admin.register(QuestionCategory)
class QuestionCategoryAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "category", "kind", "is_active"]
    list_filter = ["category", "kind", "is_active"]
    search_fields = ["text"]
    form = QuestionForm
    inlines = [OptionInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        changed = spot_question_sync(form.instance)
        if changed:
            names = ", ".join(f"“{option.text}”" for option in changed)
            self.message_user(request, f"The post checker decided which options are correct: {names} changed.")


@admin.register(HouseRules)
class HouseRulesAdmin(SimpleHistoryAdmin):
    """Read here for the history; comms leads change house rules on the post checker's settings page."""

    readonly_fields = ["banned", "cautioned", "sign_off", "allowed_contacts", "mastodon_limit", "updated_by"]

    def has_add_permission(self, request):
        return False


@admin.register(ElectionPeriod)
class ElectionPeriodAdmin(SimpleHistoryAdmin):
    list_display = ["name", "starts_on", "ends_on"]


class QuizDrawInline(admin.TabularInline):
    model = QuizDraw
    extra = 0


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin):
    list_display = ["title", "course", "pass_mark_percent", "max_attempts", "is_published"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [QuizDrawInline]


@admin.register(Attempt)
class AttemptAdmin(ReadOnlyAdmin):
    list_display = ["person", "quiz", "number", "submitted_at", "score", "max_score", "is_passed"]
    list_filter = ["quiz", "is_passed"]
    search_fields = ["person__email"]
    list_select_related = ["person", "quiz"]
