"""``python -m smartcity.administration.payments.testprovider --port N``: the test
payment provider on 127.0.0.1 (``--port 0``: a free port). It prints
``testprovider listening on http://HOST:PORT`` once it takes requests. The API key and
webhook secret come from --api-key / --webhook-secret or the environment
(TESTPAY_API_KEY, TESTPAY_WEBHOOK_SECRET); the platform's plug-in is configured with the
same (SMARTCITY_PAYMENT_TESTPAY_URL, _API_KEY, _WEBHOOK_SECRET)."""

from __future__ import annotations

import argparse
import os
import sys

from smartcity.administration.payments.testprovider.server import Provider, TestProviderServer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="testprovider", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--api-key", default=os.environ.get("TESTPAY_API_KEY", ""))
    parser.add_argument("--webhook-secret", default=os.environ.get("TESTPAY_WEBHOOK_SECRET", ""))
    args = parser.parse_args(argv)
    if len(args.api_key) < 16 or len(args.webhook_secret) < 16:
        parser.error("--api-key and --webhook-secret need at least 16 characters each")
    server = TestProviderServer((args.host, args.port), Provider(args.api_key, args.webhook_secret))
    host, port = server.server_address[:2]
    print(f"testprovider listening on http://{host!s}:{port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
