// The mobility page (/mobilitaet/): the map of Hamm with a layer per mode, filled from
// GET /api/v1/mobility/nearby around the map's centre and refreshed when the map moves;
// each offer a marker with a popup (name, provider, live status in words, its age).
// "In meiner Nähe" puts the nearest offers of the browser's position into the list beside
// the map, which the server rendered for the city centre or for a place chosen from the
// search (?suche=, ?nahe=; a plain form and links, so it works without this script).
// A stop's board (static/js/mobilitaet-board.js) opens from its popup or its list entry.
(function () {
  "use strict";

  const data = JSON.parse(document.getElementById("page-data").textContent);
  const texts = data.texts;
  const fmt = MobilityFormat.create(texts, data.time.zone);
  const board = MobilityBoard.create({ api: data.api, texts, fmt });
  const container = document.getElementById("map");
  const list = document.getElementById("near-list");
  const status = document.getElementById("map-tool-status");
  const labels = Object.fromEntries(data.layers.map((l) => [l.key, l.label]));
  const layerOf = {};
  for (const layer of data.layers) for (const mode of layer.modes) layerOf[mode] = layer.key;
  const glyphs = Object.fromEntries(data.layers.map((l) => [l.key, l.glyph])); // page.GLYPHS
  const known = new Map(); // offer id -> offer (of the list and of the map's answers)
  for (const offer of data.offers) known.set(String(offer.id), offer);
  const markers = new Map(); // offer id -> {marker, element, popup, offer}
  let map = null;
  let clusters = null; // markers that overlap, drawn as one (map.js); the list stays the way in

  const shownLayers = () => new Set(
    [...document.querySelectorAll('input[name="layer"]:checked')].map((box) => box.value));

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function describe(offer) {
    return `${labels[layerOf[offer.mode]]}: ${offer.name || offer.ref}, ${fmt.status(offer)}`;
  }

  function stopButton(offer, className) {
    const button = el("button", texts.departures, className);
    button.type = "button";
    button.dataset.stop = String(offer.id);
    button.append(el("span", ": " + (offer.name || offer.ref), "visually-hidden"));
    return button;
  }

  function popupContent(offer) {
    const box = el("div", undefined, "popup");
    box.append(el("p", offer.name || offer.ref, "popup__title"));
    box.append(el("p", fmt.status(offer), "popup__status"));
    if (offer.departures && offer.departures.length) {
      const next = el("ul", undefined, "popup__list");
      for (const d of offer.departures) {
        const shown = fmt.departure(d);
        next.append(el("li", `${shown.time} ${d.line} → ${d.headsign}${shown.state ? " (" + shown.state + ")" : ""}`));
      }
      box.append(next);
    }
    box.append(el("p", `${texts.provider} ${offer.provider}`, "popup__meta"));
    box.append(el("p", `${texts.asOf} ${fmt.age(offer.freshness)}`, "popup__meta popup__age"));
    if (offer.mode === "transit" && offer.kind !== "vehicle") box.append(stopButton(offer, "popup__board"));
    return box;
  }

  function addMarker(offer) {
    const id = String(offer.id);
    const existing = markers.get(id);
    const layer = layerOf[offer.mode];
    if (existing) {
      existing.offer = offer;
      existing.element.setAttribute("aria-label", describe(offer));
      existing.element.classList.toggle("marker--stale", offer.freshness.stale);
      existing.popup.setDOMContent(popupContent(offer));
      return existing;
    }
    const element = el("button", glyphs[layer] || "?", `marker marker-mode marker-mode--${layer}`);
    element.type = "button";
    element.dataset.id = id;
    element.dataset.layer = layer;
    element.classList.toggle("marker--stale", offer.freshness.stale);
    element.hidden = !shownLayers().has(layer);
    const popup = new maplibregl.Popup({ offset: 14, closeButton: true, maxWidth: "18rem" })
      .setDOMContent(popupContent(offer));
    const marker = new maplibregl.Marker({ element }).setLngLat([offer.lon, offer.lat])
      .setPopup(popup).addTo(map);
    element.setAttribute("aria-label", describe(offer)); // after MapLibre's own "Markierung"
    const entry = { marker, element, popup, offer };
    markers.set(id, entry);
    return entry;
  }

  let asked = 0;
  async function refresh() {
    const centre = map.getCenter();
    const bounds = map.getBounds();
    const corner = SmartCityMap.distance([centre.lng, centre.lat], [bounds.getEast(), bounds.getNorth()]);
    const radius = Math.max(1, Math.min(data.maxRadius, Math.ceil(corner)));
    const query = new URLSearchParams({ lat: centre.lat.toFixed(6), lon: centre.lng.toFixed(6),
      radius: String(radius), limit: String(data.maxOffers) });
    const mine = ++asked;
    try {
      const answer = await fetch(`${data.api}nearby?${query}`, { headers: { Accept: "application/json" } });
      if (!answer.ok) throw new Error(String(answer.status));
      const body = await answer.json();
      if (mine !== asked) return; // a later move asked again
      const seen = new Set();
      for (const offer of body.offers) {
        known.set(String(offer.id), offer);
        seen.add(String(offer.id));
        addMarker(offer);
      }
      for (const [id, entry] of markers) {
        if (!seen.has(id) && !entry.popup.isOpen()) { entry.marker.remove(); markers.delete(id); }
      }
      container.dataset.markers = String(markers.size);
      if (clusters) clusters.refresh();
      container.dataset.ready = "true";
    } catch (error) {
      if (mine === asked) status.textContent = texts.loadFailed;
    }
  }

  function buildMap() {
    if (!container || typeof maplibregl === "undefined" || !window.SmartCityMap) return;
    map = SmartCityMap.create(container, { config: data.map, center: [data.center.lon, data.center.lat], zoom: 15 });
    if (!map) return;
    map.addControl(new maplibregl.NavigationControl({ showCompass: false }));
    if (data.offers.length) { // the list's offers in view (nearest the centre first)
      const bounds = new maplibregl.LngLatBounds();
      for (const offer of data.offers) bounds.extend([offer.lon, offer.lat]);
      map.fitBounds(bounds, { padding: 40, animate: false, maxZoom: 16 });
    }
    // a place chosen from the search (?nahe=): marked as the position the list is around
    if (data.origin) SmartCityMap.showPosition(map, [data.origin.lon, data.origin.lat], data.origin.name);
    clusters = SmartCityMap.cluster(map, () => [...markers.values()].map((e) => e.marker),
      { label: texts.cluster });
    let pending = null;
    map.on("moveend", () => { window.clearTimeout(pending); pending = window.setTimeout(refresh, 250); });
    map.once("load", refresh);
  }

  function show(id) {
    const offer = known.get(String(id));
    if (!map || !offer) return;
    map.jumpTo({ center: [offer.lon, offer.lat], zoom: Math.max(map.getZoom(), 16) });
    const entry = addMarker(offer);
    if (!entry.popup.isOpen()) entry.marker.togglePopup();
  }

  // -- the list beside the map --------------------------------------------------------

  function listItem(offer) {
    const layer = layerOf[offer.mode];
    const item = el("li", undefined, `offer offer--${layer}${offer.freshness.stale ? " is-stale" : ""}`);
    item.dataset.layer = layer;
    item.dataset.id = String(offer.id);
    item.hidden = !shownLayers().has(layer);
    item.append(el("span", labels[layer], "offer__mode"), el("strong", offer.name || offer.ref, "offer__name"));
    if (offer.isDemo) item.append(" ", el("span", "Demo", "badge"));
    item.append(el("span", fmt.status(offer), "offer__status"));
    const meta = el("span", `${fmt.walk(offer.walkMinutes)} (${offer.distance}\u00a0m) · ${offer.provider} · `, "offer__meta");
    meta.append(el("span", `${texts.asOf} ${fmt.age(offer.freshness)}`, "offer__age"));
    item.append(meta);
    if (offer.mode === "transit" && offer.kind !== "vehicle") item.append(stopButton(offer, "offer__board"));
    if (map) {
      const button = el("button", texts.showOnMap, "offer__show");
      button.type = "button";
      button.dataset.show = String(offer.id);
      button.append(el("span", ": " + (offer.name || offer.ref), "visually-hidden"));
      item.append(button);
    }
    return item;
  }

  async function nearMe(lat, lon) {
    const query = new URLSearchParams({ lat: lat.toFixed(6), lon: lon.toFixed(6),
      radius: String(data.maxRadius), limit: "25" });
    try {
      const answer = await fetch(`${data.api}nearby?${query}`, { headers: { Accept: "application/json" } });
      if (!answer.ok) throw new Error(String(answer.status));
      const body = await answer.json();
      for (const offer of body.offers) known.set(String(offer.id), offer);
      list.replaceChildren(...body.offers.map(listItem));
      document.getElementById("near-status").textContent = body.offers.length ? texts.nearHere : texts.none;
      status.textContent = texts.nearHere;
      if (map) {
        SmartCityMap.showPosition(map, [lon, lat], texts.myPosition);
        map.jumpTo({ center: [lon, lat], zoom: 16 });
      }
      list.dataset.origin = "position";
    } catch (error) {
      status.textContent = texts.loadFailed;
    }
  }

  function locate() {
    if (!navigator.geolocation) return;
    status.textContent = texts.locating;
    navigator.geolocation.getCurrentPosition(
      (position) => nearMe(position.coords.latitude, position.coords.longitude),
      () => { status.textContent = texts.noPosition; },
      { enableHighAccuracy: false, timeout: 20000, maximumAge: 60000 },
    );
  }

  function applyLayers() {
    const shown = shownLayers();
    for (const { element } of markers.values()) element.hidden = !shown.has(element.dataset.layer);
    for (const item of list.querySelectorAll("li[data-layer]")) item.hidden = !shown.has(item.dataset.layer);
    if (clusters) clusters.refresh();
  }

  buildMap();
  for (const box of document.querySelectorAll('input[name="layer"]')) box.addEventListener("change", applyLayers);
  applyLayers();
  document.addEventListener("click", (event) => {
    const target = event.target.closest("[data-stop], [data-show]");
    if (!target || !target.closest("#near-list, .maplibregl-popup")) return;
    event.preventDefault();
    if (target.dataset.show) { show(target.dataset.show); return; }
    const offer = known.get(target.dataset.stop);
    board.open(target.dataset.stop, offer ? offer.name || offer.ref : target.textContent);
  });
  if (map) for (const button of list.querySelectorAll(".offer__show")) button.hidden = false;
  const tools = document.getElementById("map-tools");
  if (navigator.geolocation) {
    document.getElementById("locate").addEventListener("click", locate);
    tools.hidden = false;
  }
})();
