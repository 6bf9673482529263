"""Parking: the sites of ParkAPI v3 (``parkapi``: car parks, on-street areas, P+R and
bike parking with their realtime free capacity) and of DATEX II Parking Publication
Light (``datex2``), both written as Offers of mode ``parking``, kind ``site`` in one
shape (docs/mobility.md, "Parking"); ``values`` checks the values both read."""
