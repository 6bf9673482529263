from django.urls import path

from smartcity.sensors.lorawan import views

urlpatterns = [
    path("tts", views.tts_uplink, name="lorawan-tts"),
    path("chirpstack", views.chirpstack_event, name="lorawan-chirpstack"),
]
