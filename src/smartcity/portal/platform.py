"""What the portal brings into the platform (see smartcity.core.contract): the home page and
the accessibility statement. It meets the other domains only through the contract."""

from smartcity.core.contract import Domain, Mount

DOMAIN = Domain(name="portal", mounts=(Mount("", "smartcity.portal.urls"),))
