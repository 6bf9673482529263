from django.urls import path

from smartcity.portal import views

urlpatterns = [
    path("", views.home, name="home"),
    path("barrierefreiheit/", views.accessibility, name="accessibility"),
]
