// A stop's live board on the /mobilitaet/ page: its next departures from
// GET /api/v1/mobility/stops/{id}/departures (line, destination, platform, planned time,
// delay or expected time or "fällt aus", alerts, whether realtime was applied), fetched
// again every 30 seconds while the board is open, with the links to the stop's printable
// departure sheet (/mobilitaet/haltestelle/{id}/aushang/ and aushang.pdf).
//   const board = MobilityBoard.create({ api, texts, fmt });  board.open(id, name); board.close()
(function () {
  "use strict";

  const REFRESH_MS = 30000;
  const LIMIT = 10;

  function cell(tag, text, className, role) {
    const el = document.createElement(tag);
    el.textContent = text;
    if (className) el.className = className;
    if (role) el.setAttribute("role", role); // a table on a phone too (css/mobilitaet.css)
    return el;
  }

  function create({ api, texts, fmt }) {
    const section = document.getElementById("abfahrten");
    const title = document.getElementById("board-title");
    const body = document.getElementById("board");
    const closer = document.getElementById("board-close");
    let timer = null;
    let current = null;

    function table(answer, name) {
      const wrap = document.createElement("div");
      wrap.className = "table-wrap";
      wrap.tabIndex = 0; // a region that may scroll sideways on a phone, by keyboard too
      wrap.setAttribute("role", "region");
      wrap.setAttribute("aria-label", fmt.fill(texts.boardRegion, { name })); // as _board.html
      const t = document.createElement("table");
      t.className = "data-table board";
      t.setAttribute("role", "table");
      t.append(cell("caption", fmt.fill(texts.boardOf, { name })));
      const head = cell("tr", "", "", "row");
      for (const label of texts.columns) {
        const th = cell("th", label, "", "columnheader");
        th.scope = "col";
        head.append(th);
      }
      t.createTHead().append(head);
      t.tHead.setAttribute("role", "rowgroup");
      const rows = t.createTBody();
      rows.setAttribute("role", "rowgroup");
      for (const d of answer.departures) {
        const shown = fmt.departure(d);
        const tr = cell("tr", "", d.cancelled ? "is-cancelled" : "", "row");
        const time = document.createElement("time");
        time.dateTime = d.scheduled;
        time.textContent = shown.time;
        const td = (name, text, className) => {
          const el = cell("td", text, className, "cell");
          el.dataset.cell = name;
          return el;
        };
        const first = td("time", "");
        first.append(time);
        const line = td("line", "");
        line.append(cell("span", d.line, "line"));
        const platform = td("platform", d.platform || "–");
        platform.dataset.label = texts.columns[3];
        const state = td("state", shown.state || "–", shown.late ? "is-late" : "");
        state.dataset.label = texts.columns[4];
        tr.append(first, line, td("headsign", d.headsign), platform, state);
        rows.append(tr);
      }
      wrap.append(t);
      return wrap;
    }

    function alertText(translations) {
      return translations.de || translations[""] || Object.values(translations)[0] || "";
    }

    function render(answer, name) {
      const parts = [];
      if (answer.alerts.length) {
        const list = document.createElement("ul");
        list.className = "alerts";
        for (const alert of answer.alerts) {
          const item = document.createElement("li");
          item.append(cell("strong", alertText(alert.header)));
          const more = alertText(alert.description);
          if (more) item.append(" " + more);
          list.append(item);
        }
        parts.push(list);
      }
      parts.push(answer.departures.length ? table(answer, name) : cell("p", texts.noDepartures));
      const live = answer.realtime.some((feed) => feed.applied);
      const note = cell("p", (live ? texts.realtimeOn : texts.realtimeOff) + " "
        + fmt.fill(texts.updatedAt, { time: fmt.clock.format(new Date(answer.generatedAt)) }), "board__note");
      parts.push(note);
      body.replaceChildren(...parts);
      body.dataset.realtime = String(live);
      body.dataset.loads = String(Number(body.dataset.loads || 0) + 1);
    }

    async function load() {
      if (!current) return;
      const wanted = current;
      try {
        const answer = await fetch(`${api}stops/${wanted.id}/departures?limit=${LIMIT}`,
          { headers: { Accept: "application/json" } });
        if (!answer.ok) throw new Error(String(answer.status));
        const data = await answer.json();
        if (current === wanted) render(data, wanted.name);
      } catch (error) {
        if (current === wanted) body.replaceChildren(cell("p", texts.boardFailed, "error"));
      }
    }

    function sheetLinks(id) { // the stop's printable departure sheet (HTML and PDF)
      const links = document.getElementById("board-sheet");
      if (!links) return;
      for (const link of links.querySelectorAll("a[data-sheet]")) {
        link.href = `${links.dataset.base}${encodeURIComponent(id)}/${link.dataset.sheet}`;
      }
      links.hidden = false;
    }

    function open(id, name) {
      window.clearInterval(timer);
      current = { id: String(id), name };
      body.dataset.stop = current.id;
      body.dataset.loads = "0";
      title.textContent = fmt.fill(texts.boardOf, { name });
      sheetLinks(current.id);
      section.hidden = false;
      closer.hidden = false;
      load();
      timer = window.setInterval(load, REFRESH_MS);
      section.scrollIntoView({ block: "nearest" });
      title.setAttribute("tabindex", "-1");
      title.focus({ preventScroll: true });
    }

    function close() {
      window.clearInterval(timer);
      timer = null;
      current = null;
      section.hidden = true;
      const links = document.getElementById("board-sheet");
      if (links) links.hidden = true;
      body.dataset.stop = "";
      body.replaceChildren();
    }

    closer.addEventListener("click", close);
    if (body.dataset.stop) { // the server rendered a board (?haltestelle=): keep it live
      current = { id: body.dataset.stop, name: title.textContent.replace(/^[^:]*:\s*/, "") };
      closer.hidden = false;
      timer = window.setInterval(load, REFRESH_MS);
    }
    return { open, close, isOpen: () => current !== null };
  }

  window.MobilityBoard = { create };
})();
