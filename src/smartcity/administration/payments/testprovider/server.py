"""A payment provider for tests and demos, as its own HTTP server (standard library only,
no Django): what the platform's ``testpay`` plug-in talks to, the way it would talk to a
real one.

API (``Authorization: Bearer API_KEY``, JSON):
  POST /api/payments               {amount, currency, reference, description, return_url,
                                    webhook_url} -> 201 {id, status: "open", payment_url}
  GET  /api/payments/ID            -> {id, status, amount, currency, reference}
  POST /api/payments/ID/refund     a paid payment -> {status: "refunded"}; else 409
  GET  /api/webhooks               the webhooks sent so far (body, headers, answer)
The payer's side:
  GET  /pay/ID                     the payment page: "Jetzt bezahlen" or "Abbrechen"
  POST /pay/ID  action=pay|cancel  -> webhook, then 303 to return_url?id=ID
Each status change is sent to the payment's webhook_url, signed: the header
``Testpay-Signature: t=UNIX,v1=HEX`` with HEX = HMAC-SHA256(WEBHOOK_SECRET, "UNIX." + body).
"""

from __future__ import annotations

import hashlib
import hmac
import html
import json
import secrets
import threading
import time
import urllib.error
import urllib.request
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

MAX_BODY = 64 * 1024


def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


class Provider:
    """The provider's state: its payments and the webhooks it sent, in memory."""

    def __init__(self, api_key: str, webhook_secret: str) -> None:
        self.api_key, self.webhook_secret = api_key, webhook_secret
        self.payments: dict[str, dict[str, Any]] = {}
        self.webhooks: list[dict[str, Any]] = []
        self.lock = threading.Lock()

    def create(self, order: dict[str, Any]) -> dict[str, Any]:
        amount = order.get("amount")
        if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
            raise ValueError("amount must be a positive number of cents")
        for key in ("reference", "return_url", "webhook_url"):
            if not isinstance(order.get(key), str) or not order[key]:
                raise ValueError(f"{key} is required")
        for key in ("return_url", "webhook_url"):
            if urlsplit(order[key]).scheme not in ("http", "https"):
                raise ValueError(f"{key} must be an http(s) URL")
        payment = {
            "id": "tp_" + secrets.token_hex(8),
            "status": "open",
            "amount": amount,
            "currency": str(order.get("currency", "EUR"))[:3],
            "reference": order["reference"][:40],
            "description": str(order.get("description", ""))[:140],
            "return_url": order["return_url"],
            "webhook_url": order["webhook_url"],
        }
        with self.lock:
            self.payments[payment["id"]] = payment
        return payment

    def change(self, payment: dict[str, Any], new: str) -> None:
        with self.lock:
            payment["status"] = new
        self.notify(payment)

    def notify(self, payment: dict[str, Any]) -> None:
        body = json.dumps(
            {k: payment[k] for k in ("id", "status", "amount", "currency", "reference")}
        ).encode()
        header = signature(self.webhook_secret, int(time.time()), body)
        request = urllib.request.Request(  # noqa: S310 - the URL's scheme is checked in create
            payment["webhook_url"],
            data=body,
            headers={"Content-Type": "application/json", "Testpay-Signature": header},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
                code = answer.status
        except urllib.error.HTTPError as error:
            code = error.code
        except OSError:
            code = 0
        with self.lock:
            self.webhooks.append(
                {
                    "url": payment["webhook_url"],
                    "body": body.decode(),
                    "signature": header,
                    "answer": code,
                }
            )


PAGE = """<!doctype html>
<html lang="de"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Testzahlung {reference}</title></head>
<body><main>
<h1>Testzahlung</h1>
<p>Dies ist der Testanbieter der Plattform. Es fließt kein echtes Geld.</p>
<dl><dt>Betrag</dt><dd id="amount">{amount} {currency}</dd>
<dt>Verwendungszweck</dt><dd>{reference} {description}</dd></dl>
<form method="post">
<button type="submit" name="action" value="pay">Jetzt bezahlen</button>
<button type="submit" name="action" value="cancel">Abbrechen</button>
</form></main></body></html>
"""


class Handler(BaseHTTPRequestHandler):
    server: TestProviderServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet: the test's output is its own

    def _send(
        self,
        status: int,
        body: bytes,
        kind: str = "application/json",
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, data: Any) -> None:
        self._send(status, json.dumps(data).encode())

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            raise ValueError("request body too large")
        return self.rfile.read(length)

    def _authorized(self) -> bool:
        given = self.headers.get("Authorization", "")
        return hmac.compare_digest(given, f"Bearer {self.server.provider.api_key}")

    def _payment(self, key: str) -> dict[str, Any] | None:
        return self.server.provider.payments.get(key)

    def do_GET(self) -> None:
        parts = urlsplit(self.path).path.strip("/").split("/")
        provider = self.server.provider
        if parts[:1] == ["pay"] and len(parts) == 2 and (payment := self._payment(parts[1])):
            page = PAGE.format(
                **{k: html.escape(str(v)) for k, v in payment.items()}
                | {"amount": f"{payment['amount'] / 100:.2f}".replace(".", ",")}
            )
            return self._send(200, page.encode(), "text/html; charset=utf-8")
        if parts[:1] != ["api"]:
            return self._json(404, {"error": "not found"})
        if not self._authorized():
            return self._json(401, {"error": "wrong or missing API key"})
        if parts == ["api", "webhooks"]:
            with provider.lock:
                return self._json(200, list(provider.webhooks))
        if len(parts) == 3 and parts[1] == "payments" and (payment := self._payment(parts[2])):
            keys = ("id", "status", "amount", "currency", "reference")
            return self._json(200, {k: payment[k] for k in keys})
        return self._json(404, {"error": "no such payment"})

    def do_POST(self) -> None:
        parts = urlsplit(self.path).path.strip("/").split("/")
        try:
            body = self._body()
        except ValueError as error:
            return self._json(413, {"error": str(error)})
        if parts[:1] == ["pay"] and len(parts) == 2 and (payment := self._payment(parts[1])):
            return self._pay(payment, parse_qs(body.decode("utf-8", "replace")))
        if not self._authorized():
            return self._json(401, {"error": "wrong or missing API key"})
        if parts == ["api", "payments"]:
            try:
                created = self.server.provider.create(json.loads(body or b"{}"))
            except (ValueError, TypeError, AttributeError) as error:
                return self._json(400, {"error": str(error)})
            origin = f"http://{self.headers.get('Host', '127.0.0.1')}"
            return self._json(
                201,
                {
                    "id": created["id"],
                    "status": created["status"],
                    "payment_url": f"{origin}/pay/{created['id']}",
                },
            )
        if len(parts) == 4 and parts[3] == "refund" and (payment := self._payment(parts[2])):
            if payment["status"] != "paid":
                return self._json(
                    409, {"error": f"a {payment['status']} payment cannot be refunded"}
                )
            self.server.provider.change(payment, "refunded")
            return self._json(200, {"id": payment["id"], "status": "refunded"})
        return self._json(404, {"error": "not found"})

    def _pay(self, payment: dict[str, Any], form: dict[str, list[str]]) -> None:
        action = (form.get("action") or [""])[0]
        if payment["status"] != "open" or action not in ("pay", "cancel"):
            return self._json(409, {"error": "this payment is not open"})
        self.server.provider.change(payment, "paid" if action == "pay" else "cancelled")
        back = payment["return_url"]
        back += ("&" if "?" in back else "?") + urlencode({"id": payment["id"]})
        self._send(HTTPStatus.SEE_OTHER, b"", "text/plain", {"Location": back})


class TestProviderServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], provider: Provider) -> None:
        super().__init__(address, Handler)
        self.provider = provider
