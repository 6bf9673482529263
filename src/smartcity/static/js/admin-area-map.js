// The alert rule form's area on a map: the stations as dots; two clicks span a bounding
// box [west, south, east, north] that is written into the area field (and drawn).
"use strict";
(function () {
  const EMPTY = { type: "FeatureCollection", features: [] };

  function round(x) {
    return Math.round(x * 10000) / 10000;
  }

  function outline(b) {
    if (!b) return EMPTY;
    const ring = [[b[0], b[1]], [b[2], b[1]], [b[2], b[3]], [b[0], b[3]], [b[0], b[1]]];
    return { type: "Feature", properties: {}, geometry: { type: "Polygon", coordinates: [ring] } };
  }

  function init(box) {
    const field = document.getElementById(box.dataset.target);
    const stations = JSON.parse(document.getElementById(box.dataset.stations).textContent);
    maplibregl.setWorkerUrl(box.dataset.worker);
    const map = new maplibregl.Map({
      container: box,
      style: {
        version: 8,
        sources: {},
        layers: [{ id: "background", type: "background", paint: { "background-color": "#e9efe9" } }],
      },
      center: JSON.parse(box.dataset.center),
      zoom: 10,
      attributionControl: false,
    });
    map.addControl(new maplibregl.NavigationControl({ showCompass: false }));
    for (const station of stations) {
      const dot = document.createElement("span");
      dot.className = "area-map__station";
      dot.title = station.name;
      new maplibregl.Marker({ element: dot }).setLngLat([station.lon, station.lat]).addTo(map);
    }
    function current() {
      try {
        const value = JSON.parse(field.value);
        return Array.isArray(value) && value.length === 4 ? value : null;
      } catch (error) {
        return null;
      }
    }
    function show(bounds) {
      const source = map.getSource("area");
      if (source) source.setData(outline(bounds));
    }
    let corner = null;
    map.on("load", function () {
      map.addSource("area", { type: "geojson", data: outline(current()) });
      map.addLayer({ id: "area", type: "line", source: "area", paint: { "line-color": "#ba2121", "line-width": 2 } });
      box.dataset.ready = "true";
    });
    map.on("click", function (event) {
      const point = [round(event.lngLat.lng), round(event.lngLat.lat)];
      if (!corner) {
        corner = point;
        return;
      }
      const bounds = [
        Math.min(corner[0], point[0]), Math.min(corner[1], point[1]),
        Math.max(corner[0], point[0]), Math.max(corner[1], point[1]),
      ];
      corner = null;
      field.value = JSON.stringify(bounds);
      show(bounds);
    });
    field.addEventListener("input", function () {
      show(current());
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (typeof maplibregl === "undefined") return;
    document.querySelectorAll(".area-map").forEach(init);
  });
})();
