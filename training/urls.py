from django.urls import path

from training.views import assignments, certificates, learning, licences, quizzes, support

app_name = "training"

urlpatterns = [
    path("", learning.my_learning, name="mine"),
    path("courses/", learning.course_list, name="courses"),
    path("courses/<slug:slug>/", learning.course_detail, name="course"),
    path("courses/<slug:slug>/lessons/<int:order>/", learning.lesson_detail, name="lesson"),
    path("quizzes/<slug:slug>/", quizzes.quiz_detail, name="quiz"),
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
]
