// What the /mobilitaet/ page writes of an offer, in words, from the texts the server gave
// (mobility/page_texts.py): the same sentences as mobility/page.py writes on the server.
//   const fmt = MobilityFormat.create(texts, zone);  fmt.status(offer), fmt.age(freshness),
//   fmt.walk(minutes), fmt.departure(d) -> {time, state, late}
(function () {
  "use strict";

  const PLUGS = {
    IEC_62196_T2_COMBO: "CCS", IEC_62196_T1_COMBO: "CCS (Typ 1)", IEC_62196_T2: "Typ 2",
    IEC_62196_T1: "Typ 1", CHADEMO: "CHAdeMO", DOMESTIC_F: "Schuko", TESLA_S: "Tesla", GBT_DC: "GB/T",
  };

  function create(texts, zone) {
    const lang = document.documentElement.lang || "de";
    const number = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });
    const clock = new Intl.DateTimeFormat(lang === "de" ? "de-DE" : "en-GB", {
      hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: zone,
    });
    const fill = (text, values) => text.replace(/%\((\w+)\)s/g, (_m, key) => String(values[key]));
    const count = (pair, n) => fill(pair[n === 1 ? 0 : 1], { n });

    function plug(entry) {
      const name = PLUGS[entry.standard] || entry.standard || "";
      const power = entry.powerKw ? number.format(entry.powerKw) + " kW" : "";
      return [name, power].filter(Boolean).join(" ");
    }

    function sharing(offer) {
      const s = offer.status;
      if (offer.kind === "vehicle") {
        return s.current_range_meters
          ? fill(texts.range, { km: Math.round(s.current_range_meters / 1000) }) : texts.available;
      }
      if (s.num_vehicles_available === undefined) return texts.unknown;
      if (s.is_renting === false) return texts.notRenting;
      const parts = [count(texts[offer.mode] || texts.car, s.num_vehicles_available)];
      if (s.num_docks_available !== undefined && s.num_docks_available !== null) {
        parts.push(count(texts.places, s.num_docks_available));
      }
      return parts.join(", ");
    }

    function charging(offer) {
      const s = offer.status;
      const d = offer.details;
      const plugs = s.byPlug || d.byPlug || [];
      const best = plugs.length && plug(plugs[0]) ? " (" + plug(plugs[0]) + ")" : "";
      if (s.total) return fill(texts.freeOf, { free: s.free || 0, total: s.total }) + best;
      if (d.chargePointCount) return count(texts.chargePoints, d.chargePointCount) + best;
      return texts.chargingSite + best;
    }

    function parking(offer) {
      const s = offer.status;
      const free = s.free;
      const capacity = offer.details.capacity; // {total, disabled, ...} (docs/mobility.md)
      const total = capacity && typeof capacity === "object" ? capacity.total : capacity;
      if (free !== undefined && free !== null) {
        return count(texts.places, free) + (total ? " " + fill(texts.of, { total }) : "");
      }
      return total ? count(texts.spaces, total) : texts.parking;
    }

    function transit(offer) {
      if (offer.kind === "vehicle") {
        return offer.status.route ? fill(texts.vehicleOf, { line: offer.status.route }) : texts.vehicle;
      }
      const lines = (offer.details.lines || []).map((l) => l.line).filter(Boolean);
      return lines.length ? fill(texts.lines, { lines: lines.join(", ") }) : texts.stop;
    }

    function status(offer) {
      if (offer.mode === "transit") return transit(offer);
      if (["bike", "scooter", "moped", "car"].includes(offer.mode)) return sharing(offer);
      if (offer.mode === "charging") return charging(offer);
      if (offer.mode === "parking") return parking(offer);
      return offer.status.state ? fill(texts.signalState, { state: offer.status.state }) : texts.signal;
    }

    function age(freshness) {
      const seconds = freshness.ageSeconds;
      if (seconds === null || seconds === undefined) return texts.stale;
      let text;
      if (seconds < 60) text = texts.justNow;
      else if (seconds < 3600) text = count(texts.minutesAgo, Math.floor(seconds / 60));
      else if (seconds < 48 * 3600) text = count(texts.hoursAgo, Math.floor(seconds / 3600));
      else text = count(texts.daysAgo, Math.floor(seconds / 86400));
      return freshness.stale ? texts.stale + " (" + text + ")" : text;
    }

    function departure(d) {
      const at = (iso) => (iso ? clock.format(new Date(iso)) : "");
      let state = "";
      let late = false;
      if (d.cancelled) { state = texts.cancelled; late = true; }
      else if (d.skipped) { state = texts.skipped; late = true; }
      else if (d.added) state = texts.added; // a trip realtime added (GTFS-RT NEW, ADDED)
      else if (d.delay !== null && d.delay !== undefined) {
        const minutes = Math.round(d.delay / 60);
        if (minutes >= 1) { state = fill(texts.late, { n: minutes, time: at(d.expected) }); late = minutes >= 5; }
        else if (minutes <= -1) state = fill(texts.early, { n: -minutes, time: at(d.expected) });
        else state = texts.onTime;
      }
      return { time: at(d.scheduled), state, late };
    }

    return {
      status, age, departure, fill, clock,
      walk: (minutes) => fill(texts.walk, { n: minutes }),
    };
  }

  window.MobilityFormat = { create };
})();
