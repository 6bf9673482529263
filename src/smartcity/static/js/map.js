// The platform's map component (MapLibre GL), for every page with a map: the base map the
// operator configured (core/basemap.py: a style URL, or the platform's own PMTiles archive
// read with HTTP Range requests), and when that cannot be loaded the city's districts on a
// plain background with a notice, so the markers on top stay usable.
//
//   const map = SmartCityMap.create(container, { config, center, zoom, locale });
//
// config is core.basemap.page_config() from the page's JSON data. The container's
// data-basemap says what it shows: "loading", "ready" (the base map has drawn), "fallback"
// (it failed: the districts are drawn, with a notice) or "none" (no base map configured).
// SmartCityMap.of(container) gives the map back (the browser tests use it);
// SmartCityMap.showPosition(map, [lon, lat], label) marks the user's position, and
// SmartCityMap.distance(a, b) is the distance of two [lon, lat] points in metres, and
// SmartCityMap.cluster(map, markers, { label }) draws markers that overlap as one.
(function () {
  "use strict";

  const maps = new WeakMap();
  const GIVE_UP_MS = 30000; // a base map host that neither answers nor fails
  let pmtilesAdded = false;

  function districtStyle(districts) {
    return {
      version: 8,
      sources: { districts: { type: "geojson", data: districts } },
      layers: [
        { id: "background", type: "background", paint: { "background-color": "#eef1ec" } },
        {
          id: "district-areas", type: "fill", source: "districts",
          filter: ["==", ["get", "role"], "outline"],
          paint: { "fill-color": "#dfe7dc", "fill-opacity": 0.6 },
        },
        {
          id: "district-outlines", type: "line", source: "districts",
          filter: ["==", ["get", "role"], "outline"],
          paint: { "line-color": "#5b6b58", "line-width": 1.5 },
        },
      ],
    };
  }

  // Names as HTML elements: a symbol layer would need glyphs from a server.
  function addDistrictLabels(map, districts) {
    const labels = [];
    for (const feature of districts.features) {
      if (feature.properties.role !== "label") continue;
      const el = document.createElement("span");
      el.className = "map-label";
      el.textContent = feature.properties.name;
      const label = new maplibregl.Marker({ element: el }).setLngLat(feature.geometry.coordinates).addTo(map);
      el.removeAttribute("aria-label"); // its name is its text, not "Map marker"
      labels.push(label);
    }
    return labels;
  }

  function showNotice(container, text) {
    let notice = container.parentElement.querySelector(".map-notice");
    if (!notice) {
      notice = document.createElement("p");
      notice.className = "map-notice";
      notice.setAttribute("role", "status");
      container.before(notice); // above the map, where it is seen first
    }
    notice.textContent = text;
  }

  function usePmtiles() {
    if (pmtilesAdded || typeof pmtiles === "undefined") return;
    const protocol = new pmtiles.Protocol();
    maplibregl.addProtocol("pmtiles", protocol.tile);
    pmtilesAdded = true;
  }

  function create(container, options) {
    const config = options.config;
    const texts = config.texts;
    const worker = document.getElementById("maplibre");
    if (worker && worker.dataset.worker) maplibregl.setWorkerUrl(worker.dataset.worker);
    if (config.pmtiles) usePmtiles();
    const withBasemap = Boolean(config.style);
    container.dataset.basemap = withBasemap ? "loading" : "none";
    let map;
    try {
      map = new maplibregl.Map({
        container,
        style: withBasemap ? config.style : districtStyle(config.districts),
        center: options.center,
        zoom: options.zoom || 10.5,
        attributionControl: withBasemap ? { compact: true } : false,
        cooperativeGestures: true,
        locale: config.locale || {}, // the controls' texts in the page's language
      });
    } catch (error) {
      container.textContent = texts.noMap;
      container.classList.add("map--unavailable");
      container.dataset.basemap = "unavailable";
      return null;
    }
    maps.set(container, map);
    if (!withBasemap) {
      addDistrictLabels(map, config.districts);
      return map;
    }
    let settled = false;
    const fallBack = () => {
      if (settled) return;
      settled = true;
      window.clearTimeout(timer);
      map.setStyle(districtStyle(config.districts));
      addDistrictLabels(map, config.districts);
      showNotice(container, texts.failed);
      // "fallback" once the districts are drawn
      map.once("idle", () => { container.dataset.basemap = "fallback"; });
    };
    const timer = window.setTimeout(fallBack, GIVE_UP_MS);
    // Until the base map has drawn once, any error (style, source, tile, sprite) means it
    // cannot be shown; later a single missing tile is only a gap.
    map.on("error", () => fallBack());
    map.once("idle", () => {
      if (settled) return;
      settled = true;
      window.clearTimeout(timer);
      container.dataset.basemap = "ready";
    });
    return map;
  }

  // The user's position as a marker (one per map), e.g. for "Meine Position".
  const positions = new WeakMap();
  function showPosition(map, lngLat, label) {
    let marker = positions.get(map);
    if (!marker) {
      const el = document.createElement("span");
      el.className = "map-position";
      el.setAttribute("role", "img");
      marker = new maplibregl.Marker({ element: el }).setLngLat(lngLat).addTo(map);
      el.setAttribute("aria-label", label);
      positions.set(map, marker);
    }
    marker.setLngLat(lngLat);
    return marker;
  }

  // Great-circle distance in metres between two [lon, lat] points.
  function distance(a, b) {
    const rad = Math.PI / 180;
    const dLat = (b[1] - a[1]) * rad;
    const dLon = (b[0] - a[0]) * rad;
    const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLon / 2) ** 2;
    return 2 * 6371008.8 * Math.asin(Math.sqrt(h));
  }

  // Markers (maplibregl.Marker, HTML elements) that would cover each other drawn as one
  // button with their number, which zooms in on them; from CLUSTER_UNTIL_ZOOM on, all are
  // shown. markers is an array, or a function that gives the markers of the moment (a map
  // whose markers come and go). A marker whose element is hidden (a filter) takes no part.
  // refresh() after a filter or the markers changed; the map redoes it after every move.
  // A cluster opened by keyboard hands the focus on to the first of its markers (or to
  // the smaller cluster that now holds it), so Enter after Enter walks down to a marker.
  const CLUSTER_UNTIL_ZOOM = 15;
  function cluster(map, markers, options) {
    const radius = options.radius || 32; // px between centres below which markers overlap
    const current = typeof markers === "function" ? markers : () => markers;
    let groups = []; // {marker, members}
    function centre(marker) {
      const box = marker.getElement().getBoundingClientRect();
      return [box.left + box.width / 2, box.top + box.height / 2];
    }
    function focusAfterOpening(first) {
      const alone = !first.getElement().classList.contains("is-clustered");
      const holder = alone ? null : groups.find((g) => g.members.includes(first));
      const target = alone ? first.getElement() : holder && holder.marker.getElement();
      if (target) target.focus();
    }
    function addGroup(near) {
      const bounds = new maplibregl.LngLatBounds();
      for (const b of near) {
        b.m.getElement().classList.add("is-clustered");
        bounds.extend(b.m.getLngLat());
      }
      const el = document.createElement("button");
      el.type = "button";
      el.className = "map-cluster";
      el.textContent = String(near.length);
      const members = near.map((b) => b.m);
      el.addEventListener("click", (event) => {
        event.stopPropagation();
        const hadFocus = document.activeElement === el;
        map.fitBounds(bounds, { padding: 80, maxZoom: CLUSTER_UNTIL_ZOOM, animate: false });
        if (hadFocus) focusAfterOpening(members[0]);
      });
      const marker = new maplibregl.Marker({ element: el }).setLngLat(bounds.getCenter()).addTo(map);
      el.setAttribute("aria-label", options.label.replace("%(count)s", String(near.length)));
      groups.push({ marker, members });
    }
    function refresh() {
      for (const group of groups) group.marker.remove();
      groups = [];
      const all = current();
      for (const m of all) m.getElement().classList.remove("is-clustered");
      if (map.getZoom() >= CLUSTER_UNTIL_ZOOM) return;
      const points = all.filter((m) => !m.getElement().hidden).map((m) => ({ m, at: centre(m) }));
      const taken = new Set();
      for (const a of points) {
        if (taken.has(a)) continue;
        const near = points.filter((b) => !taken.has(b)
          && Math.hypot(a.at[0] - b.at[0], a.at[1] - b.at[1]) < radius);
        if (near.length < 2) continue;
        for (const b of near) taken.add(b);
        addGroup(near);
      }
    }
    map.on("moveend", refresh);
    refresh();
    return { refresh };
  }

  window.SmartCityMap = {
    create, of: (container) => maps.get(container) || null, showPosition, distance, cluster,
  };
})();
