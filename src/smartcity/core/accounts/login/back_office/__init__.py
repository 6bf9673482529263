"""Django's admin app with the platform's admin site (login/admin_site.py: the second
factor). Named in INSTALLED_APPS by its package, as Django's own apps are."""
