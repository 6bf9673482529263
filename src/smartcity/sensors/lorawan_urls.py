from django.urls import path

from smartcity.sensors import lorawan_views

urlpatterns = [
    path("tts", lorawan_views.tts_uplink, name="lorawan-tts"),
    path("chirpstack", lorawan_views.chirpstack_event, name="lorawan-chirpstack"),
]
