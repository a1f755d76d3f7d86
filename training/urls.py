from django.urls import path

from training.views import analysis, assignments, bank, certificates, checker, learning, licences, quizzes, support

app_name = "training"

urlpatterns = [
    path("", learning.my_learning, name="mine"),
    path("courses/", learning.course_list, name="courses"),
    path("courses/<slug:slug>/", learning.course_detail, name="course"),
    path("courses/<slug:slug>/lessons/<int:order>/", learning.lesson_detail, name="lesson"),
    path("quizzes/<slug:slug>/", quizzes.quiz_detail, name="quiz"),
    path("quizzes/<slug:slug>/analysis/", analysis.quiz_analysis, name="quiz-analysis"),
    path("attempts/<int:pk>/", quizzes.attempt_take, name="attempt"),
    path("attempts/<int:pk>/result/", quizzes.attempt_result, name="attempt-result"),
    path("team/", learning.team, name="team"),
    path("people/<int:pk>/", learning.person_record, name="person"),
    path("assignments/", assignments.assignment_list, name="assignments"),
    path("assignments/new/", assignments.assignment_new, name="assign"),
    path("assignments/<int:pk>/exempt/", assignments.assignment_exempt_view, name="exempt"),
    path("certificates/verify/", certificates.verify, name="verify"),
    path("certificates/<str:number>/", certificates.certificate, name="certificate"),
    path("certificates/<str:number>/pdf/", certificates.certificate_pdf, name="certificate-pdf"),
    path("licences/", licences.licence_register, name="licences"),
    path("support/", support.assessment, name="support"),
    path("support/levels/", support.levels, name="support-levels"),
    path("bank/", bank.bank, name="bank"),
    path("bank/import/", bank.bank_import_view, name="bank-import"),
    path("bank/export/", bank.bank_export_view, name="bank-export"),
    path("checker/", checker.post_checker, name="checker"),
    path("checker/settings/", checker.checker_settings, name="checker-settings"),
    path("checker/election-periods/<int:pk>/delete/", checker.election_period_delete, name="election-period-delete"),
]
