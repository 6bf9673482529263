"""The demo catalogue of the Hamm demo city (``smartcity demo``): the Familienrathaus with
its teams and six family services with their forms, all marked as demo data."""

from smartcity.administration.demo.loader import load_demo

__all__ = ["load_demo"]
