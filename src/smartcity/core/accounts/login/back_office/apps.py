from django.contrib.admin import apps as admin_apps


class PlatformAdminConfig(admin_apps.AdminConfig):
    default_site = "smartcity.core.accounts.login.admin_site.PlatformAdminSite"
