"""Traffic signals: the signals of OpenStreetMap (``highway=traffic_signals``, and the
crossings with signals) with their aids for blind and partially sighted people (an
acoustic signal, a vibrating button, tactile paving), as Offers of mode ``signal``, kind
``point`` (docs/mobility.md, "Traffic signals")."""
