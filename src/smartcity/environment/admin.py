"""The back office for alerts: rules (staff only, like all of /admin/), their episodes and
every notification sent, read-only."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import admin
from django.core.validators import validate_email
from django.forms.renderers import TemplatesSetting
from django.templatetags.static import static
from django.utils.translation import gettext_lazy as _

from smartcity.core import geo
from smartcity.core.city import city
from smartcity.core.forms import JSON_WITHOUT_NULL, BlankNullJSONField
from smartcity.environment import alerts
from smartcity.environment.models import AlertEpisode, AlertNotification, AlertRule
from smartcity.sensors import services as sensors

PROJECT_TEMPLATES = TemplatesSetting()  # widgets render from the TEMPLATES engines


class AreaMapWidget(forms.Textarea):
    """The area as JSON text, with a map below it: the stations as dots, and two clicks
    span a bounding box that is written into the text (``static/js/admin-area-map.js``)."""

    template_name = "admin/widgets/area_map.html"  # in the project's templates

    class Media:
        css = {"all": ("vendor/maplibre-gl/maplibre-gl.css", "css/admin-area-map.css")}
        js = ("vendor/maplibre-gl/maplibre-gl-csp.js", "js/admin-area-map.js")

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        points = {(s.thing, s.thing_name, s.point) for s in sensors.stream_catalogue()}
        context["widget"].update(
            stations=[
                {"name": thing_name, "lon": point[0], "lat": point[1]}
                for _thing, thing_name, point in sorted(points, key=lambda p: p[0])
                if point is not None
            ],
            stations_id=f"{context['widget']['attrs'].get('id', name)}_stations",
            center=json.dumps(list(city().extent.center)),
            worker=static("vendor/maplibre-gl/maplibre-gl-csp-worker.js"),
            label=_("Zwei Klicks in die Karte spannen einen Begrenzungsrahmen auf."),
        )
        return context

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> Any:
        return super().render(name, value, attrs, renderer=PROJECT_TEMPLATES)


class AlertRuleForm(forms.ModelForm):
    webhook_url = forms.URLField(
        label=_("Webhook-URL"), required=False, max_length=500, assume_scheme="https"
    )

    class Meta:
        model = AlertRule
        fields = (
            "name",
            "enabled",
            "kind",
            "observed_property",
            "things",
            "area",
            "comparison",
            "threshold",
            "window",
            "hysteresis",
            "silence_hours",
            "per_station",
            "notify_all_clear",
            "email_recipients",
            "webhook_url",
            "webhook_secret",
        )
        field_classes = {"area": BlankNullJSONField}  # an empty box, not "null"
        widgets = {"area": AreaMapWidget}

    def clean_area(self) -> Any:
        area = self.cleaned_data.get("area")
        if area in (None, "", [], {}):
            return None
        try:
            alerts.area_shape(area)
        except geo.GeometryError as error:
            raise forms.ValidationError(str(error)) from None
        return area

    def clean_email_recipients(self) -> str:
        text = self.cleaned_data.get("email_recipients", "")
        rule = AlertRule(email_recipients=text)
        for address in rule.addresses():
            try:
                validate_email(address)
            except forms.ValidationError:
                raise forms.ValidationError(
                    _("„%(address)s“ ist keine gültige E-Mail-Adresse."),
                    params={"address": address},
                ) from None
        return "\n".join(rule.addresses())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("email_recipients") and not data.get("webhook_url"):
            raise forms.ValidationError(
                _("Bitte mindestens eine E-Mail-Adresse oder eine Webhook-URL angeben.")
            )
        needed = {
            AlertRule.THRESHOLD: ("observed_property", "threshold"),
            AlertRule.SILENCE: ("silence_hours",),
        }
        for name in needed.get(data.get("kind", ""), ()):
            if data.get(name) is None and name not in self.errors:
                self.add_error(name, _("Für diese Art von Regel nötig."))
        return data


@admin.register(AlertRule)
class AlertRuleAdmin(admin.ModelAdmin):
    form = AlertRuleForm
    list_display = ("name", "kind", "observed_property", "comparison", "threshold", "enabled")
    list_filter = ("enabled", "kind", "observed_property")
    search_fields = ("name",)
    # stations and properties are picked by name (searched in the sensors' back office)
    autocomplete_fields = ("things", "observed_property")
    formfield_overrides = JSON_WITHOUT_NULL
    readonly_fields = ("watermark", "created_at")
    fieldsets = (
        (None, {"fields": ("name", "enabled", "kind")}),
        (_("Welche Datenströme"), {"fields": ("observed_property", "things", "area")}),
        (
            _("Schwellenwert"),
            {"fields": ("comparison", "threshold", "window", "hysteresis")},
        ),
        (_("Keine Daten seit N Stunden"), {"fields": ("silence_hours", "per_station")}),
        (
            _("Benachrichtigung"),
            {
                "fields": (
                    "notify_all_clear",
                    "email_recipients",
                    "webhook_url",
                    "webhook_secret",
                )
            },
        ),
        (None, {"fields": ("watermark", "created_at")}),
    )


@admin.register(AlertEpisode)
class AlertEpisodeAdmin(admin.ModelAdmin):
    list_display = ("rule", "datastream", "opened_at", "peak_value", "closed_at")
    list_filter = ("rule",)
    raw_id_fields = ("datastream",)

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(AlertNotification)
class AlertNotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "rule", "event", "channel", "target", "status", "attempts")
    list_filter = ("status", "channel", "event")

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False
