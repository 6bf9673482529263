"""What the payments part tells the rest of the platform.

``payment_changed`` is sent once for every change of a payment's status, inside the
transaction that makes it, with ``payment``, ``old`` and ``new`` (status names): the
applications listen to it to move their case on. A receiver that raises undoes the
change."""

from django.dispatch import Signal

payment_changed = Signal()  # keyword arguments: payment, old, new
