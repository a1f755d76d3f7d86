"""Item analysis: which quiz questions work, and which need rewriting.

For each question, over submitted attempts of one quiz:

- *facility* is the share of answers that were right;
- *discrimination* is the point-biserial correlation between getting this
  question right and the rest of the attempt's score (the attempt's score
  without this question, as a share of its other questions). Each attempt
  draws different questions, so the rest-score is a share, not a count.

A question strong candidates get wrong as often as weak ones (low or
negative discrimination) is testing something other than what the quiz is
for, or has the wrong key. Everything is summed in one grouped query, so
the page costs the same for ten attempts or a hundred thousand.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.db.models import Case, Count, F, FloatField, Q, Sum, Value, When
from django.db.models.functions import Cast

from training.models import Attempt, AttemptQuestion, Question, Quiz

MIN_ANSWERS = 10
HARD_BELOW = 0.30
EASY_ABOVE = 0.95
WEAK_DISCRIMINATION_BELOW = 0.20
GOOD_DISCRIMINATION_FROM = 0.30


@dataclass(frozen=True)
class ItemStats:
    question: Question
    answers: int
    right: int
    discrimination: float | None

    @property
    def facility(self) -> float | None:
        return self.right / self.answers if self.answers else None

    @property
    def facility_percent(self) -> int | None:
        return None if self.facility is None else round(100 * self.facility)

    @property
    def problems(self) -> list[str]:
        """Plain reasons to look again at this question; empty when it works or there is too little to judge."""
        if self.answers < MIN_ANSWERS:
            return []
        found = []
        if self.discrimination is not None and self.discrimination < 0:
            found.append("Stronger candidates get it wrong more often than weaker ones: check the answer key.")
        elif self.discrimination is not None and self.discrimination < WEAK_DISCRIMINATION_BELOW:
            found.append("Does not separate strong from weak candidates: check the wording and the wrong answers.")
        if self.facility < HARD_BELOW:
            found.append("Fewer than 3 in 10 get it right: check it is taught and clearly worded.")
        elif self.facility > EASY_ABOVE:
            found.append("Almost everyone gets it right: the wrong answers may be too obvious.")
        return found

    @property
    def is_flagged(self) -> bool:
        return bool(self.problems)

    @property
    def verdict(self) -> str:
        if self.answers < MIN_ANSWERS:
            return "Too few answers to judge"
        if self.discrimination is None:
            return "Everyone scored the same"
        if self.discrimination < 0:
            return "Negative"
        if self.discrimination < WEAK_DISCRIMINATION_BELOW:
            return "Weak"
        if self.discrimination < GOOD_DISCRIMINATION_FROM:
            return "Fair"
        return "Good"


@dataclass(frozen=True)
class QuizSummary:
    attempts: int
    passed: int
    mean_percent: int | None
    distribution: list[tuple[str, int]]  # (band label, attempts), ten bands from 0 to 100%

    @property
    def pass_rate_percent(self) -> int | None:
        return round(100 * self.passed / self.attempts) if self.attempts else None


def _point_biserial(n: int, n1: float, s: float, s1: float, ss: float) -> float | None:
    """r = (M1 - M0) / sd * sqrt(p(1 - p)), from sums; None when it is undefined (no spread, or all one answer)."""
    if n < 2 or n1 in (0, n):
        return None
    variance = ss / n - (s / n) ** 2
    if variance <= 1e-12:
        return None
    mean_right = s1 / n1
    mean_wrong = (s - s1) / (n - n1)
    p = n1 / n
    return (mean_right - mean_wrong) / math.sqrt(variance) * math.sqrt(p * (1 - p))


def item_analysis(quiz: Quiz, *, category_id: int | None = None) -> list[ItemStats]:
    """Every active question the quiz draws from, weakest first; unanswered ones last."""
    right = Case(When(is_correct=True, then=Value(1.0)), default=Value(0.0), output_field=FloatField())
    rest = (Cast("attempt__score", FloatField()) - F("right")) / (Cast("attempt__max_score", FloatField()) - 1.0)
    sums = (
        AttemptQuestion.objects.filter(attempt__quiz=quiz, attempt__submitted_at__isnull=False)
        .annotate(right=right)
        .annotate(rest=Case(When(attempt__max_score__gt=1, then=rest), default=Value(0.0), output_field=FloatField()))
        .values("question_id")
        .annotate(
            n=Count("pk"),
            n1=Sum("right"),
            s=Sum("rest"),
            s1=Sum(F("rest") * F("right")),
            ss=Sum(F("rest") * F("rest")),
        )
    )
    by_question = {row["question_id"]: row for row in sums}
    questions = Question.objects.filter(
        Q(pk__in=by_question) | Q(category__in=quiz.draws.values("category"), is_active=True)
    ).select_related("category")
    if category_id is not None:
        questions = questions.filter(category_id=category_id)
    stats = []
    for question in questions:
        row = by_question.get(question.pk)
        if row is None:
            stats.append(ItemStats(question=question, answers=0, right=0, discrimination=None))
            continue
        stats.append(
            ItemStats(
                question=question,
                answers=row["n"],
                right=round(row["n1"]),
                discrimination=_point_biserial(row["n"], row["n1"], row["s"], row["s1"], row["ss"]),
            )
        )

    def weakest_first(item: ItemStats):
        judged = item.answers >= MIN_ANSWERS
        return (
            not item.is_flagged,
            not judged,
            item.discrimination if item.discrimination is not None else 9,
            item.question.pk,
        )

    return sorted(stats, key=weakest_first)


def quiz_summary(quiz: Quiz) -> QuizSummary:
    """Attempts, pass rate, mean score and a 10-band score distribution, in two queries."""
    submitted = Attempt.objects.filter(quiz=quiz, submitted_at__isnull=False, max_score__gt=0)
    totals = submitted.aggregate(
        attempts=Count("pk"),
        passed=Count("pk", filter=Q(is_passed=True)),
        mean=Sum(Cast("score", FloatField()) / Cast("max_score", FloatField())),
    )
    band = Case(
        *[When(score__lt=(F("max_score") * (b + 1) / 10.0), then=Value(b)) for b in range(9)],
        default=Value(9),
    )
    counts = dict(submitted.annotate(band=band).values_list("band").annotate(c=Count("pk")).values_list("band", "c"))
    labels = [f"{10 * b}–{10 * b + 9}%" for b in range(9)] + ["90–100%"]
    attempts = totals["attempts"]
    return QuizSummary(
        attempts=attempts,
        passed=totals["passed"],
        mean_percent=round(100 * totals["mean"] / attempts) if attempts else None,
        distribution=[(labels[b], counts.get(b, 0)) for b in range(10)],
    )
