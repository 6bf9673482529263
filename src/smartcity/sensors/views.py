from django.http import HttpRequest, HttpResponse, JsonResponse


def sta_endpoint(request: HttpRequest, version: str, path: str | None) -> HttpResponse:
    return JsonResponse({"value": []})
