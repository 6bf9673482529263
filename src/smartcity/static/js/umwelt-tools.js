// The dashboard map's tools (umwelt.js calls UmweltTools.attach once the map is built):
// search for a station or district by name, and "Meine Position" with the nearest station
// and its newest values. Both say what they did in a status line for screen readers.
(function () {
  "use strict";

  function attach({ map, markers, data, valueText }) {
    const tools = document.getElementById("map-tools");
    if (!tools || !map) return;
    const texts = data.texts;
    const status = document.getElementById("map-tool-status");
    const say = (text) => { status.textContent = text; };
    const entries = [...markers.values()];
    const districts = data.map.districts.features.filter((f) => f.properties.role === "label");

    const list = document.getElementById("map-places");
    const names = new Set([...entries.map((e) => e.station.name),
      ...districts.map((f) => f.properties.name)]);
    for (const name of [...names].sort((a, b) => a.localeCompare(b))) {
      const option = document.createElement("option");
      option.value = name;
      list.append(option);
    }

    function show(entry) {
      // close enough that no marker is drawn as part of a cluster
      map.jumpTo({ center: [entry.station.lon, entry.station.lat], zoom: Math.max(map.getZoom(), 15) });
      if (!entry.popup.isOpen()) entry.marker.togglePopup();
    }

    function summary(station) {
      return station.streams.map((s) => s.property + ": " + valueText(s)).join(", ");
    }

    function find(text) {
      const wanted = text.trim().toLocaleLowerCase();
      if (!wanted) return null;
      const matches = (name) => name.toLocaleLowerCase() === wanted;
      const contains = (name) => name.toLocaleLowerCase().includes(wanted);
      for (const test of [matches, contains]) {
        const entry = entries.find((e) => test(e.station.name));
        if (entry) return { entry };
        const district = districts.find((f) => test(f.properties.name));
        if (district) return { district };
      }
      return null;
    }

    document.getElementById("map-search-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const found = find(document.getElementById("map-search").value);
      if (!found) {
        say(texts.notFound);
      } else if (found.entry) {
        show(found.entry);
        say(texts.found.replace("%(name)s", found.entry.station.name) + " " + summary(found.entry.station));
      } else {
        map.jumpTo({ center: found.district.geometry.coordinates, zoom: 13 });
        say(texts.found.replace("%(name)s", found.district.properties.name));
      }
    });

    const locate = document.getElementById("locate");
    if (!navigator.geolocation) {
      locate.hidden = true;
    } else {
      locate.addEventListener("click", () => {
        say(texts.locating);
        navigator.geolocation.getCurrentPosition(
          (position) => nearest([position.coords.longitude, position.coords.latitude]),
          () => say(texts.noPosition),
          { enableHighAccuracy: false, timeout: 20000, maximumAge: 60000 },
        );
      });
    }

    function nearest(here) {
      SmartCityMap.showPosition(map, here, texts.myPosition);
      const shown = entries.filter((e) => !e.element.hidden);
      if (!shown.length) {
        say(texts.noStation);
        return;
      }
      const distance = (e) => SmartCityMap.distance(here, [e.station.lon, e.station.lat]);
      const best = shown.reduce((a, b) => (distance(b) < distance(a) ? b : a));
      const metres = distance(best);
      const format = new Intl.NumberFormat(document.documentElement.lang || "de", { maximumFractionDigits: 1 });
      const away = metres < 1000 ? Math.round(metres) + "\u00a0m" : format.format(metres / 1000) + "\u00a0km";
      map.fitBounds(new maplibregl.LngLatBounds(here, here).extend([best.station.lon, best.station.lat]),
        { padding: 60, maxZoom: 14, animate: false });
      if (best.element.classList.contains("is-clustered")) {
        map.jumpTo({ center: [best.station.lon, best.station.lat], zoom: 15 });
      }
      if (!best.popup.isOpen()) best.marker.togglePopup();
      say(texts.nearest.replace("%(name)s", best.station.name).replace("%(distance)s", away)
        + " " + summary(best.station));
      tools.dataset.nearest = String(best.station.thing) + ":" + best.station.kind;
    }

    tools.hidden = false;
  }

  window.UmweltTools = { attach };
})();
