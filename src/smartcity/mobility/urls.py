"""The mobility pages under /mobilitaet/."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
