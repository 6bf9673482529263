from django.urls import path

from smartcity.administration.payments import views

app_name = "payments"

urlpatterns = [
    path("webhook/<slug:provider_name>/", views.webhook, name="webhook"),
    path("<str:public_id>/", views.pay, name="pay"),
    path("<str:public_id>/ueberweisung/", views.transfer, name="transfer"),
    path("<str:public_id>/zahlungsaufforderung.pdf", views.invoice_pdf, name="invoice"),
    path("<str:public_id>/zurueck/<slug:provider_name>/", views.returned, name="returned"),
]
