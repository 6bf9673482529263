"""Applying: forms as data, filled in over several steps, saved, resumed and submitted."""

from django.urls import path

from smartcity.administration.applying import review, views

urlpatterns = [
    path("weiter/<str:token>/", views.resume, name="applying-resume"),
    path("mitzeichnen/<str:token>/", review.cosign, name="applying-cosign"),
    path("<slug:public_id>/schritt/<slug:key>/", views.step, name="applying-step"),
    path("<slug:public_id>/gespeichert/", views.saved, name="applying-saved"),
    path("<slug:public_id>/pruefen/", review.review, name="applying-review"),
    path("<slug:public_id>/absenden/", review.submit, name="applying-submit"),
    path("<slug:public_id>/eingegangen/", review.done, name="applying-done"),
    path("<slug:service>/", views.start, name="applying-start"),
]
