"""Training's models: learning (courses to the licence), quizzes, and the post checker's settings."""

from training.models.checker import ElectionPeriod, HouseRules
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
    "ElectionPeriod",
    "HouseRules",
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
