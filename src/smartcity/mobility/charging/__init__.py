"""Public charging: the Bundesnetzagentur's Ladesäulenregister (``bnetza``: every public
charge point in Germany, monthly, no live status) and OCPI 2.2.1 Locations of the city's
charge point operators (``ocpi``: sites with the live status of every EVSE, polled from
the operator's Locations endpoint or pushed by it to ours). Both write one Offer of mode
``charging``, kind ``site`` per place; ``plugs`` is their common vocabulary of plug
standards and the summary "free charge points by plug type and power"."""
