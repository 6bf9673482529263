"""What the kernel itself brings through the contract: the task queue's own periodic tasks
(scheduled imports)."""

from smartcity.core.contract import Domain

DOMAIN = Domain(name="core", tasks=("smartcity.core.schedules",))
