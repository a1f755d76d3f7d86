"""Training's models: learning (courses to the licence) and quizzes."""

from training.models.learning import (
    CERTIFICATE_ALPHABET,
    CERTIFICATE_LENGTH,
    Assignment,
    Completion,
    Course,
    Lesson,
    LessonProgress,
    Licence,
    SupportAssessment,
    SupportLevel,
    new_certificate_number,
)
from training.models.quizzes import (
    Attempt,
    AttemptQuestion,
    Option,
    Question,
    QuestionCategory,
    Quiz,
    QuizDraw,
)

__all__ = [
    "CERTIFICATE_ALPHABET",
    "CERTIFICATE_LENGTH",
    "Assignment",
    "Attempt",
    "AttemptQuestion",
    "Completion",
    "Course",
    "Lesson",
    "LessonProgress",
    "Licence",
    "Option",
    "Question",
    "QuestionCategory",
    "Quiz",
    "QuizDraw",
    "SupportAssessment",
    "SupportLevel",
    "new_certificate_number",
]
