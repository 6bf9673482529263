// Charts of a station's series (uPlot, served by the platform). The chosen period decides
// the aggregation, so a year loads 365 daily means instead of 52,000 values: 24 hours show
// every value, 7 and 30 days hourly means, a year daily means (all computed in the
// database by /api/v1/environment/.../aggregates). Limit values of the same averaging
// period are drawn as lines; a second station can be drawn beside; the same figures are
// written into a table for screen readers and can be downloaded as CSV.
(function () {
  "use strict";

  const data = JSON.parse(document.getElementById("page-data").textContent);
  const texts = data.texts;
  const lang = document.documentElement.lang || "de";
  const number = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });
  // dates as on the rest of the page (umwelt.js, core/templatetags/site.py): the city's zone
  const locale = lang === "de" ? "de-DE" : "en-GB";
  const zone = data.time.zone;
  const stampParts = new Intl.DateTimeFormat(locale, {
    day: lang === "de" ? "2-digit" : "numeric", month: lang === "de" ? "2-digit" : "short",
    year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: zone,
  });
  const stamp = { format: (date) => stampParts.format(date) + data.time.suffix };
  const hours = new Intl.DateTimeFormat(locale, {
    hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: zone,
  });
  const days = new Intl.DateTimeFormat(locale, {
    day: "2-digit", month: lang === "de" ? "2-digit" : "short", timeZone: zone,
  });
  const HOUR = 3600 * 1000;
  const RANGES = {
    day: { span: 24 * HOUR, interval: "raw" },
    week: { span: 7 * 24 * HOUR, interval: "hour" },
    month: { span: 30 * 24 * HOUR, interval: "hour" },
    year: { span: 365 * 24 * HOUR, interval: "day" },
  };
  const COLOURS = ["#0a4a7f", "#b3400a"];

  function iso(ms) {
    return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
  }

  async function raw(stream, start, end) {
    const filter = `phenomenonTime ge ${iso(start)} and phenomenonTime le ${iso(end)}`;
    const url = `/sta/v1.1/Datastreams(${stream})/Observations?$filter=${encodeURIComponent(filter)}` +
      "&$orderby=phenomenonTime%20asc&$top=1000&$select=phenomenonTime,result";
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(response.status);
    const body = await response.json();
    return body.value
      .filter((o) => typeof o.result === "number")
      .map((o) => ({ t: Date.parse(o.phenomenonTime.split("/")[0]), mean: o.result }));
  }

  function aggregatesUrl(stream, interval, start, end, format, compare) {
    return `/api/v1/environment/datastreams/${stream}/aggregates?interval=${interval}` +
      `&start=${encodeURIComponent(iso(start))}&end=${encodeURIComponent(iso(end))}` +
      (format ? `&format=${format}` : "") + (compare ? `&compare=${compare}` : "");
  }

  async function aggregated(stream, interval, start, end) {
    const response = await fetch(aggregatesUrl(stream, interval, start, end));
    if (!response.ok) throw new Error(response.status);
    const body = await response.json();
    return body.buckets
      .filter((b) => b.count > 0)
      .map((b) => ({ t: Date.parse(b.start), mean: b.mean, min: b.min, max: b.max }));
  }

  function load(stream, range, start, end) {
    const interval = RANGES[range].interval;
    return interval === "raw" ? raw(stream, start, end) : aggregated(stream, interval, start, end);
  }

  // Both series on one time axis: the union of their time stamps.
  function align(first, second) {
    const times = [...new Set([...first, ...second].map((p) => p.t))].sort((a, b) => a - b);
    const at = (points) => {
      const map = new Map(points.map((p) => [p.t, p.mean]));
      return times.map((t) => (map.has(t) ? map.get(t) : null));
    };
    return [times, at(first), second.length ? at(second) : null];
  }

  function limitsFor(stream, range) {
    const averaging = RANGES[range].interval === "day" ? "day" : "hour";
    return (data.limits[stream] || []).filter((l) => l.averaging === averaging);
  }

  function drawLimits(limits) {
    return (u) => {
      const ctx = u.ctx;
      ctx.save();
      ctx.strokeStyle = "#9b1c1c";
      ctx.fillStyle = "#9b1c1c";
      ctx.setLineDash([6, 4]);
      ctx.lineWidth = 2;
      ctx.font = `${12 * devicePixelRatio}px system-ui, sans-serif`;
      ctx.textAlign = "left"; // uPlot leaves the axes' alignment behind
      ctx.textBaseline = "alphabetic";
      // limits of the same value (2008/50/EC and 2024/2881) share one line and one label
      const byValue = new Map();
      for (const limit of limits) {
        byValue.set(limit.value, [...(byValue.get(limit.value) || []), limit.label]);
      }
      for (const [value, labels] of byValue) {
        const limit = { value, label: labels.join("; ") };
        const y = u.valToPos(limit.value, "y", true);
        if (y < u.bbox.top || y > u.bbox.top + u.bbox.height) continue;
        ctx.beginPath();
        ctx.moveTo(u.bbox.left, y);
        ctx.lineTo(u.bbox.left + u.bbox.width, y);
        ctx.stroke();
        let text = `${texts.limit} ${number.format(limit.value)} (${limit.label})`;
        if (ctx.measureText(text).width > u.bbox.width - 8) {
          text = `${texts.limit} ${number.format(limit.value)}`; // the note below names them
        }
        ctx.fillText(text, u.bbox.left + 4, y - 4);
      }
      ctx.restore();
    };
  }

  function table(section, names, aligned, unit) {
    const holder = section.querySelector('[data-role="table"]');
    const grid = document.createElement("table");
    grid.className = "data-table";
    const head = grid.createTHead().insertRow();
    for (const name of [texts.time, ...names]) {
      const cell = document.createElement("th");
      cell.scope = "col";
      cell.textContent = name === texts.time ? name : `${name} (${unit})`;
      head.append(cell);
    }
    const body = grid.createTBody();
    const [times, ...series] = aligned;
    times.forEach((t, i) => {
      const row = body.insertRow();
      const th = document.createElement("th");
      th.scope = "row";
      th.textContent = stamp.format(new Date(t));
      row.append(th);
      for (const values of series) {
        if (!values) continue;
        const cell = row.insertCell();
        cell.className = "num";
        cell.textContent = values[i] === null ? "–" : number.format(values[i]);
      }
    });
    holder.replaceChildren(grid);
  }

  function summary(name, points, unit) {
    const values = points.map((p) => p.mean).filter((v) => typeof v === "number");
    if (!values.length) return texts.noValues;
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    return `${texts.chartOf} ${name}: ${texts.mean} ${number.format(mean)} ${unit}, ` +
      `${texts.min} ${number.format(Math.min(...values))} ${unit}, ` +
      `${texts.max} ${number.format(Math.max(...values))} ${unit}.`;
  }

  async function render(section) {
    const stream = Number(section.dataset.series);
    const unit = section.dataset.unit;
    const name = section.dataset.name;
    const range = section.querySelector("input[type=radio]:checked").value;
    const compareSelect = section.querySelector("select[name=compare]");
    const other = compareSelect.value ? Number(compareSelect.value) : null;
    const chartBox = section.querySelector('[data-role="chart"]');
    const end = Date.now();
    const start = end - RANGES[range].span;
    const interval = RANGES[range].interval;
    // both downloads hold what the chart shows: the same period, the compared station too
    for (const format of ["csv", "csv-de"]) {
      section.querySelector(`[data-role="${format}"]`).href = aggregatesUrl(
        stream, interval === "raw" ? "hour" : interval, start, end, format, other);
    }
    chartBox.setAttribute("aria-busy", "true");
    let first;
    let second = [];
    try {
      [first, second] = await Promise.all([
        load(stream, range, start, end),
        other ? load(other, range, start, end) : Promise.resolve([]),
      ]);
    } catch (error) {
      chartBox.textContent = texts.loadFailed;
      chartBox.removeAttribute("aria-busy");
      return;
    }
    const otherName = other
      ? compareSelect.options[compareSelect.selectedIndex].textContent : null;
    const aligned = align(first, second);
    const limits = limitsFor(stream, range);
    const series = [{}, { label: name, stroke: COLOURS[0], width: 2, spanGaps: false }];
    const plotted = [aligned[0], aligned[1]];
    if (aligned[2]) {
      series.push({ label: otherName, stroke: COLOURS[1], width: 2, dash: [4, 3] });
      plotted.push(aligned[2]);
    }
    const values = plotted.slice(1).flat().filter((v) => v !== null);
    const high = Math.max(0, ...values, ...limits.map((l) => l.value * 1.05));
    const low = Math.min(0, ...values);
    chartBox.replaceChildren();
    if (!aligned[0].length) {
      chartBox.textContent = texts.noValues;
    } else {
      const width = Math.max(280, chartBox.clientWidth || section.clientWidth || 600);
      const short = range === "day" ? hours : days;
      new uPlot({
        width,
        height: Math.round(Math.min(360, Math.max(220, width * 0.45))),
        ms: 1, // time stamps in milliseconds
        tzDate: (ms) => uPlot.tzDate(new Date(ms), zone), // ticks on the city's hours
        series: series.map((s, i) => (i === 0
          ? { label: texts.time, value: (u, v) => (v === null ? "–" : stamp.format(new Date(v))) }
          : s)),
        scales: { x: { time: true }, y: { range: [low, high] } },
        axes: [
          { values: (u, ticks) => ticks.map((t) => short.format(new Date(t))), space: 70, size: 40 },
          { label: unit, size: 60, values: (u, ticks) => ticks.map((t) => number.format(t)) },
        ],
        hooks: { draw: [drawLimits(limits)] },
        legend: { show: true },
      }, plotted, chartBox);
    }
    chartBox.setAttribute("aria-label", summary(name, first, unit));
    chartBox.removeAttribute("aria-busy");
    chartBox.dataset.points = String(aligned[0].length);
    const note = section.querySelector('[data-role="interval"]');
    note.textContent = { raw: texts.rawValues, hour: texts.hourly, day: texts.daily }[interval];
    section.querySelector('[data-role="limits"]').textContent = limits
      .map((l) => `${texts.limit} (${l.label}): ${number.format(l.value)} ${unit}`).join("; ");
    table(section, other ? [name, otherName] : [name], aligned, unit);
  }

  // New values of a charted series (the live updates of umwelt.js): draw the chart again,
  // at most every few seconds, so a station's 24-hour chart moves on while it is watched.
  const pending = new Map();
  document.addEventListener("umwelt:update", (event) => {
    for (const value of event.detail) {
      const section = document.querySelector(`section[data-series="${value.datastream}"]`);
      if (!section || pending.has(section)) continue;
      pending.set(section, window.setTimeout(() => {
        pending.delete(section);
        render(section);
      }, 3000));
    }
  });

  for (const section of document.querySelectorAll("section[data-series]")) {
    const stream = Number(section.dataset.series);
    const select = section.querySelector("select[name=compare]");
    for (const option of data.comparable[stream] || []) {
      const item = document.createElement("option");
      item.value = String(option.datastream);
      item.textContent = option.name;
      select.append(item);
    }
    select.addEventListener("change", () => render(section));
    for (const radio of section.querySelectorAll("input[type=radio]")) {
      radio.addEventListener("change", () => render(section));
    }
    render(section);
  }
})();
