"""Training: courses, assignments, completions, certificates, quizzes and the post checker."""
