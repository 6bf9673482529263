// The environment dashboard: the map of all stations (MapLibre GL, served by the platform)
// and live updates by Server-Sent Events. The page's table holds the same figures without
// JavaScript; this script keeps table and map current as new observations arrive.
(function () {
  "use strict";

  const data = JSON.parse(document.getElementById("page-data").textContent);
  const texts = data.texts;
  const lang = document.documentElement.lang || "de";
  const number = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });
  // One way to write a date and time on every cell, as the server does
  // (core/templatetags/site.py): in the city's zone, whatever the browser's is.
  const clockParts = new Intl.DateTimeFormat(lang === "de" ? "de-DE" : "en-GB", {
    day: lang === "de" ? "2-digit" : "numeric", month: lang === "de" ? "2-digit" : "short",
    year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    timeZone: data.time.zone,
  });
  const clock = { format: (date) => clockParts.format(date) + data.time.suffix };
  const byStream = new Map(); // datastream id -> [station, stream]
  for (const station of data.stations) {
    for (const stream of station.streams) byStream.set(stream.datastream, [station, stream]);
  }

  // An air station's class is its UBA index from the newest hourly means, as on its page
  // (the server's environment.services.station_index); water and soil take the class of
  // their newest value.
  function stationLevel(station) {
    if (station.index) return station.index.index;
    const levels = station.streams.map((s) => s.level).filter((l) => l !== null);
    return levels.length ? Math.max(...levels) : null;
  }

  // "Luftqualitätsindex aus den Stundenmitteln bis 14:00 Uhr, bestimmt von NO2"
  function indexText(station) {
    const index = station.index;
    if (!index || index.index === null) return null;
    const hours = index.pollutants.map((p) => p.hour).sort();
    const until = new Date(Date.parse(hours[hours.length - 1]) + 3600 * 1000);
    return texts.indexFrom
      .replace("%(time)s", clock.format(until))
      .replace("%(pollutant)s", texts.pollutants[index.determinedBy] || index.determinedBy);
  }

  // A new value of an air station's pollutant may change its hourly mean: the index is
  // read again from the API, at most once a minute per station.
  const indexRead = new Map(); // thing -> time of the last read
  function refreshIndex(station) {
    if (!station.index) return;
    const last = indexRead.get(station.thing) || 0;
    if (Date.now() - last < 60 * 1000) return;
    indexRead.set(station.thing, Date.now());
    fetch(`/api/v1/environment/things/${station.thing}/air-quality`)
      .then((answer) => (answer.ok ? answer.json() : null))
      .then((index) => {
        if (!index) return;
        station.index = index;
        paintMarker(station);
        const entry = markers.get(key(station));
        if (entry) entry.popup.setDOMContent(popupContent(station));
      })
      .catch(() => {});
  }

  function newest(station) {
    const times = station.streams.map((s) => s.time).filter(Boolean).sort();
    return times.length ? times[times.length - 1] : null;
  }

  function isStale(station) {
    const time = newest(station);
    return !time || Date.now() - Date.parse(time) > data.staleAfterSeconds * 1000;
  }

  // The accessible name holds the marker's visible text (the class number), WCAG 2.5.3.
  function describe(station) {
    const level = stationLevel(station);
    const scale = data.scales[station.kind];
    let text = station.name + ": " + (level === null
      ? "– " + texts.noClass : `${texts.klass} ${level}, ${scale.labels[level - 1]}`);
    const from = indexText(station);
    if (from) text += " (" + from + ")";
    if (isStale(station)) text += ", " + texts.stale;
    return text;
  }

  function valueText(stream) {
    if (stream.value === null || stream.value === undefined) return "–";
    const shown = typeof stream.value === "number" ? number.format(stream.value) : String(stream.value);
    return stream.unit ? shown + "\u00a0" + stream.unit : shown;
  }

  // -- the table ----------------------------------------------------------------------

  function updateRow(station, stream) {
    const row = document.querySelector(`tr[data-datastream="${stream.datastream}"]`);
    if (!row) return;
    row.querySelector('[data-cell="value"]').textContent = valueText(stream);
    const level = row.querySelector('[data-cell="level"]');
    level.replaceChildren();
    if (stream.level) {
      const badge = document.createElement("span");
      // the colour is the class's (smartcity.css), as on the page the server renders
      badge.className = `level level--${stream.level} tint--${station.kind}-${stream.level}`;
      badge.textContent = data.scales[station.kind].labels[stream.level - 1];
      level.append(badge);
    } else {
      level.textContent = "–";
    }
    const cell = row.querySelector('[data-cell="time"]');
    const time = document.createElement("time");
    time.dateTime = stream.time;
    time.textContent = clock.format(new Date(stream.time));
    cell.replaceChildren(time);
    row.classList.add("is-updated");
  }

  function updateStaleness() {
    for (const station of data.stations) {
      const stale = isStale(station);
      for (const stream of station.streams) {
        const row = document.querySelector(`tr[data-datastream="${stream.datastream}"]`);
        if (!row) continue;
        row.classList.toggle("is-stale", stale);
        const cell = row.querySelector('[data-cell="time"]');
        const badge = cell.querySelector(".stale-badge");
        if (stale && !badge && stream.time) {
          const mark = document.createElement("span");
          mark.className = "stale-badge";
          mark.textContent = texts.stale;
          cell.append(" ", mark);
        } else if (!stale && badge) {
          badge.remove();
        }
      }
      paintMarker(station);
    }
  }

  // -- the map ------------------------------------------------------------------------

  const markers = new Map(); // station key -> {element, marker}
  let map = null;
  let clusters = null; // markers that overlap, drawn as one (map.js)

  function key(station) {
    return station.thing + ":" + station.kind;
  }

  function paintMarker(station) {
    const entry = markers.get(key(station));
    if (!entry) return;
    const level = stationLevel(station);
    const stale = isStale(station);
    const el = entry.element;
    el.textContent = level === null ? "–" : String(level);
    el.style.background = stale || level === null ? "" : data.scales[station.kind].colours[level - 1];
    el.classList.toggle("marker--stale", stale);
    el.setAttribute("aria-label", describe(station));
    el.dataset.level = level === null ? "" : String(level);
  }

  function popupContent(station) {
    const box = document.createElement("div");
    const title = document.createElement("a");
    title.href = `/umwelt/messstellen/${station.thing}/`;
    title.textContent = station.name;
    title.className = "popup__title";
    box.append(title);
    const from = indexText(station);
    if (from) {
      const index = document.createElement("p");
      const level = stationLevel(station);
      index.textContent = `${texts.klass} ${level}, ${data.scales[station.kind].labels[level - 1]}: ${from}`;
      box.append(index);
    }
    const list = document.createElement("ul");
    list.className = "popup__list";
    for (const stream of station.streams) {
      const item = document.createElement("li");
      item.textContent = stream.property + ": " + valueText(stream);
      list.append(item);
    }
    box.append(list);
    const time = newest(station);
    const when = document.createElement("p");
    when.textContent = time ? texts.asOf + " " + clock.format(new Date(time)) : texts.noData;
    if (isStale(station)) when.textContent += " (" + texts.stale + ")";
    box.append(when);
    return box;
  }

  function buildMap() {
    const container = document.getElementById("map");
    if (!container || typeof maplibregl === "undefined" || !window.SmartCityMap) return;
    const placed = data.stations.filter((s) => s.lon !== null && s.lat !== null);
    // the base map, or the districts when it fails (static/js/map.js)
    map = SmartCityMap.create(container, { config: data.map, center: data.city.center, zoom: 10.5 });
    if (!map) return;
    map.addControl(new maplibregl.NavigationControl({ showCompass: false }));
    if (placed.length) {
      const bounds = new maplibregl.LngLatBounds();
      for (const s of placed) bounds.extend([s.lon, s.lat]);
      map.fitBounds(bounds, { padding: 40, animate: false, maxZoom: 13 });
    }
    const offsets = { air: [0, 0], water: [0, 0], soil: [14, 14] };
    for (const station of placed) {
      const el = document.createElement("button");
      el.type = "button";
      el.className = "marker marker--" + station.kind;
      el.dataset.thing = String(station.thing);
      el.dataset.kind = station.kind;
      const popup = new maplibregl.Popup({ offset: 16, closeButton: true }).setDOMContent(
        popupContent(station),
      );
      const marker = new maplibregl.Marker({ element: el, offset: offsets[station.kind] })
        .setLngLat([station.lon, station.lat])
        .setPopup(popup)
        .addTo(map);
      marker.getElement().removeAttribute("aria-label");
      markers.set(key(station), { element: el, marker, popup, station });
      paintMarker(station);
    }
    clusters = SmartCityMap.cluster(map, [...markers.values()].map((e) => e.marker),
      { label: texts.cluster });
    // search and "Meine Position" (static/js/umwelt-tools.js)
    if (window.UmweltTools) UmweltTools.attach({ map, markers, data, valueText });
    container.dataset.ready = "true";
  }

  function applyFilters() {
    const shown = new Set(
      [...document.querySelectorAll('input[name="kind"]:checked')].map((box) => box.value),
    );
    for (const { element, station } of markers.values()) {
      element.hidden = !shown.has(station.kind);
    }
    if (clusters) clusters.refresh();
  }

  // -- live updates -------------------------------------------------------------------

  const status = document.getElementById("live-status");

  // The browser reconnects by itself after a dropped connection; after an answer that
  // is not 200 (503: the stream is full) it gives up, so the page tries again itself,
  // waiting twice as long each time (at most a minute), from the last event it saw.
  let lastEventId = null;
  let retryDelay = 1000;

  function connect() {
    if (!window.EventSource || !data.live) {
      if (status) status.textContent = texts.noLive;
      return;
    }
    const url = lastEventId === null
      ? data.live
      : data.live + (data.live.includes("?") ? "&" : "?") + "after=" + encodeURIComponent(lastEventId);
    const source = new EventSource(url);
    source.addEventListener("open", () => {
      retryDelay = 1000;
      if (status) status.textContent = texts.connected;
    });
    source.addEventListener("ready", (event) => {
      // where the stream starts: a reconnect resumes from here even if no value came yet
      if (event.lastEventId) lastEventId = event.lastEventId;
    });
    source.addEventListener("error", () => {
      if (status) status.textContent = texts.reconnecting;
      if (source.readyState === EventSource.CLOSED) {
        source.close();
        window.setTimeout(connect, retryDelay);
        retryDelay = Math.min(retryDelay * 2, 60000);
      }
    });
    source.addEventListener("observations", (event) => {
      if (event.lastEventId) lastEventId = event.lastEventId;
      const values = JSON.parse(event.data);
      let shown = 0;
      for (const value of values) {
        const found = byStream.get(value.datastream);
        if (!found) continue;
        const [station, stream] = found;
        if (stream.time && value.time && value.time < stream.time) continue; // older value
        stream.value = value.value;
        stream.time = value.time;
        stream.level = value.level;
        updateRow(station, stream);
        paintMarker(station);
        refreshIndex(station);
        const entry = markers.get(key(station));
        if (entry) entry.popup.setDOMContent(popupContent(station));
        shown += 1;
      }
      if (status && shown) {
        status.textContent = (shown === 1 ? texts.updatedOne : texts.updated)
          .replace("%(count)s", String(shown))
          .replace("%(time)s", new Date().toLocaleTimeString(lang, {
            timeZone: data.time.zone, hour: "2-digit", minute: "2-digit", second: "2-digit",
            hourCycle: "h23",
          }));
      }
      document.dispatchEvent(new CustomEvent("umwelt:update", { detail: values }));
    });
  }

  buildMap();
  for (const box of document.querySelectorAll('input[name="kind"]')) {
    box.addEventListener("change", applyFilters);
  }
  connect();
  updateStaleness();
  window.setInterval(updateStaleness, 60 * 1000);
})();
