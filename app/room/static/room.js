// Waymark room: the participant's page. Served by the facilitator's Waymark; it talks
// only to that server (the Content-Security-Policy forbids anything else). Text from
// people is always set with textContent, never parsed as markup.
//
// Every contribution gets an idempotency key and waits in an outbox kept in this
// browser's localStorage until the room acknowledges it; after a dropped connection or a
// restarted room the page reconnects and sends the outbox again, and the room answers
// keys it has already seen without applying them twice.
"use strict";
(() => {
  const S = JSON.parse(document.getElementById("strings").textContent);
  const t = (key, ...args) => (S[key] || key).replace(/\{(\d)\}/g, (_, i) => String(args[+i]));
  // A count's words: KEY_one where the page's language says "one" of n (1 dot, 1 Punkt).
  const plural = new Intl.PluralRules(document.documentElement.lang || "en");
  const tn = (key, n, ...args) =>
    t(S[`${key}_one`] && plural.select(n) === "one" ? `${key}_one` : key, ...args);
  const roomToken = location.pathname.split("/")[2] || "";
  const slot = (name) => `waymark-room:${roomToken}:${name}`;
  const app = document.getElementById("app");
  const statusLine = document.getElementById("status");
  const notice = document.getElementById("notice");

  let participant = localStorage.getItem(slot("participant"));
  let outbox = [];
  try { outbox = JSON.parse(localStorage.getItem(slot("outbox")) || "[]"); } catch (e) { outbox = []; }
  if (!Array.isArray(outbox)) outbox = [];
  let room = null, me = null, view = null;
  let ws = null, attempt = 0, joining = null, finished = false, tab = "add";
  let timerBase = null;
  const ui = {};

  // ------------------------------------------------------------------ helpers
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "text") node.textContent = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? "" : String(v));
    }
    for (const c of children) if (c) node.append(c);
    return node;
  }
  function newKey() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }
  function saveOutbox() { localStorage.setItem(slot("outbox"), JSON.stringify(outbox)); }
  function say(text) { notice.textContent = ""; notice.textContent = text; }
  function setStatus(text) { statusLine.textContent = text; }

  // --------------------------------------------------------------- connection
  function connect() {
    if (finished) return;
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    ws = new WebSocket(`${scheme}${location.host}/r/${roomToken}/ws`);
    ws.onopen = () => {
      attempt = 0;
      if (participant) ws.send(JSON.stringify({ t: "hello", participant }));
      else if (joining !== null) ws.send(JSON.stringify({ t: "join", name: joining }));
      else { ws.close(); showJoin(); }
    };
    ws.onmessage = (ev) => {
      let msg;
      try { msg = JSON.parse(ev.data); } catch (e) { return; }
      handle(msg);
    };
    ws.onclose = (ev) => {
      ws = null;
      if (finished) return;
      if (ev.code === 4000) return end(t("conn_closed"));
      if (ev.code === 4001) { forget(); return end(t("conn_removed")); }
      if (ev.code === 4002) { forget(); return showJoin(); }
      if (!participant && joining === null) return;
      setStatus(t("conn_offline"));
      document.body.classList.add("offline");
      attempt += 1;
      const wait = Math.min(10000, 500 * 2 ** Math.min(attempt, 5)) + Math.random() * 500;
      setTimeout(connect, wait);
    };
  }
  function forget() {
    participant = null;
    localStorage.removeItem(slot("participant"));
  }
  function end(text) {
    finished = true;
    setStatus(text);
    if (outbox.length) say(t("conn_unsent", outbox.length));
    app.replaceChildren(el("p", { class: "end", text }));
    renderUnsent();
  }
  function send(msg) {
    outbox.push({ key: msg.key, msg });
    saveOutbox();
    if (ws && ws.readyState === WebSocket.OPEN && me) ws.send(JSON.stringify(msg));
    renderMine();
  }
  function flush() {
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    for (const item of outbox) ws.send(JSON.stringify(item.msg));
  }
  let retryTimer = null;
  function retryLater() {
    if (retryTimer) return;
    retryTimer = setTimeout(() => { retryTimer = null; flush(); }, 2500);
  }
  setInterval(() => { if (ws && ws.readyState === WebSocket.OPEN) ws.send('{"t":"ping"}'); }, 20000);

  function handle(msg) {
    switch (msg.t) {
      case "joined":
        participant = msg.participant;
        localStorage.setItem(slot("participant"), participant);
        joining = null;
        break;
      case "welcome":
        room = msg.room; me = msg.me; view = msg.view;
        document.body.classList.remove("offline");
        setStatus(`${t("conn_online")} — ${me.name}`);
        showRoom();
        flush();
        break;
      case "ack": {
        outbox = outbox.filter((x) => x.key !== msg.key);
        saveOutbox();
        if (msg.status === "added") say(t("add_sent_direct"));
        else if (msg.status === "pending") say(t("add_sent_inbox"));
        else if (msg.status === "held") say(t("add_sent_held"));
        renderMine();
        break;
      }
      case "refused":
        if (msg.later) { retryLater(); break; }
        if (msg.key) { outbox = outbox.filter((x) => x.key !== msg.key); saveOutbox(); }
        say(t("refused", msg.reason));
        renderMine();
        break;
      case "me": me = msg.me; renderDynamic(); break;
      case "view": view = msg; renderDynamic(); break;
      case "room": room = msg; renderDynamic(); break;
      case "closed": end(t("conn_closed")); break;
      case "removed": forget(); end(t("conn_removed")); break;
      case "error":
        if (msg.rejoin) { forget(); }
        if (msg.join) { joining = null; showJoin(msg.reason); }
        else say(msg.reason);
        break;
      default: break;
    }
  }

  // --------------------------------------------------------------- join screen
  function showJoin(problem) {
    const name = el("input", { id: "name", name: "name", autocomplete: "nickname", maxlength: 40,
      autocapitalize: "words" });
    const form = el("form", { class: "card", onsubmit: (ev) => {
      ev.preventDefault();
      if (!name.value.trim() && room && !room.anonymous) { say(t("join_need_name")); return; }
      start(name.value);
    } },
      el("h2", { text: t("join_title") }),
      el("label", { for: "name", text: t("join_name") }), name,
      el("button", { type: "submit", class: "primary", text: t("join_button") }),
      el("button", { type: "button", id: "anonymous", text: t("join_anonymous"),
        onclick: () => start("") }));
    app.replaceChildren(form);
    if (problem) say(problem);
    name.focus();
  }
  function start(name) {
    joining = name.trim();
    connect();
  }

  // ---------------------------------------------------------------- the room
  const TABS = ["add", "vote", "feel", "mine"];
  function showRoom() {
    const list = el("div", { role: "tablist", class: "tabs", "aria-label": t("title") });
    ui.tabs = {};
    ui.panels = {};
    for (const name of TABS) {
      const b = el("button", { role: "tab", id: `tab-${name}`, "aria-controls": `panel-${name}`,
        type: "button", text: t(`tab_${name}`), onclick: () => choose(name),
        onkeydown: (ev) => {
          const i = TABS.indexOf(name);
          if (ev.key === "ArrowRight" || ev.key === "ArrowLeft") {
            const next = TABS[(i + (ev.key === "ArrowRight" ? 1 : TABS.length - 1)) % TABS.length];
            choose(next); ui.tabs[next].focus(); ev.preventDefault();
          }
        } });
      ui.tabs[name] = b;
      list.append(b);
      ui.panels[name] = el("section", { role: "tabpanel", id: `panel-${name}`,
        "aria-labelledby": `tab-${name}` });
    }
    app.replaceChildren(list, el("p", { id: "silent", class: "banner", hidden: true,
      text: t("silent") }), ...TABS.map((n) => ui.panels[n]));
    buildAdd();
    renderDynamic();
    choose(tab);
  }
  function choose(name) {
    tab = name;
    for (const n of TABS) {
      const on = n === name;
      ui.tabs[n].setAttribute("aria-selected", on ? "true" : "false");
      ui.tabs[n].tabIndex = on ? 0 : -1;
      ui.panels[n].hidden = !on;
    }
  }

  function buildAdd() {
    const p = ui.panels.add;
    ui.kind = el("select", { id: "kind", name: "kind" });
    for (const k of ["pain_point", "opportunity", "touchpoint", "action", "thought", "goal",
      "emotion", "note"]) ui.kind.append(el("option", { value: k, text: t(`kind_${k}`) }));
    ui.stage = el("select", { id: "stage", name: "stage", required: true });
    ui.lane = el("select", { id: "lane", name: "lane" });
    ui.title = el("input", { id: "idea", name: "title", maxlength: 200, required: true,
      autocomplete: "off" });
    ui.body = el("textarea", { id: "body", name: "body", maxlength: 5000, rows: 3 });
    ui.addPaused = el("p", { class: "paused", hidden: true, text: t("add_paused") });
    ui.limit = el("p", { class: "muted", id: "limit" });
    ui.addButton = el("button", { type: "submit", class: "primary", text: t("add_button") });
    const form = el("form", { id: "add-form", onsubmit: (ev) => {
      ev.preventDefault();
      const title = ui.title.value;
      if (!title.trim()) { ui.title.focus(); return; }
      const lane = ui.lane.value ? Number(ui.lane.value) : null;
      send({ t: "add", key: newKey(), kind: ui.kind.value, stage: Number(ui.stage.value), lane,
        title, body: ui.body.value });
      if (!ws || ws.readyState !== WebSocket.OPEN) say(t("add_queued"));
      ui.title.value = "";
      ui.body.value = "";
      ui.title.focus();
    } },
      el("h2", { text: t("add_title") }), ui.addPaused,
      el("label", { for: "kind", text: t("add_kind") }), ui.kind,
      el("label", { for: "stage", text: t("add_stage") }), ui.stage,
      el("label", { for: "lane", text: t("add_lane") }), ui.lane,
      el("label", { for: "idea", text: t("add_text") }), ui.title,
      el("label", { for: "body", text: t("add_body") }), ui.body,
      ui.limit, ui.addButton);
    p.replaceChildren(form);
  }

  function fillSelect(select, items, first) {
    const keep = select.value;
    const wanted = (first ? [first] : []).concat(items);
    const same = select.options.length === wanted.length &&
      wanted.every((w, i) => select.options[i].value === String(w.id) &&
        select.options[i].textContent === w.name);
    if (same) return;
    select.replaceChildren(...wanted.map((w) => el("option", { value: w.id, text: w.name })));
    if (wanted.some((w) => String(w.id) === keep)) select.value = keep;
  }

  function renderDynamic() {
    if (!ui.panels || !view || !room || !me) return;
    document.getElementById("map-title").textContent = view.map ? view.map.title : t("title");
    document.getElementById("check-label").textContent = t("check");
    document.getElementById("check").textContent = room.fingerprint;
    document.getElementById("check-hint").textContent = t("check_hint");
    document.getElementById("silent").hidden = !room.silent;
    fillSelect(ui.stage, view.stages || [], null);
    fillSelect(ui.lane, view.lanes || [], { id: "", name: t("add_lane_auto") });
    ui.addPaused.hidden = room.adding;
    ui.addButton.disabled = !room.adding;
    ui.limit.textContent = room.limit ? t("limit", me.idea_count, room.limit) : "";
    renderVote();
    renderFeel();
    renderMine();
    setTimer(room.timer);
  }

  function renderVote() {
    const p = ui.panels.vote;
    const head = [el("h2", { text: t("vote_title") }),
      el("p", { class: "dots", id: "dots-left", "aria-live": "polite",
        text: t("vote_left", me.dots_left, room.budget) })];
    if (!room.voting) head.push(el("p", { class: "paused", text: t("vote_paused") }));
    const cards = view.cards || [];
    if (!cards.length) { p.replaceChildren(...head, el("p", { text: t("vote_none") })); return; }
    const groups = [];
    for (const stage of view.stages) {
      const mine = cards.filter((c) => c.stage === stage.id);
      if (!mine.length) continue;
      const list = el("ul", { class: "cards" });
      for (const c of mine) {
        const count = me.votes[String(c.id)] || 0;
        const plus = el("button", { type: "button", class: "dot", "aria-label": t("vote_add", c.title),
          disabled: !room.voting || me.dots_left <= 0, text: "+",
          onclick: () => send({ t: "vote", key: newKey(), card: c.id, delta: 1 }) });
        const minus = el("button", { type: "button", class: "dot", "aria-label": t("vote_remove", c.title),
          disabled: !room.voting || count <= 0, text: "−",
          onclick: () => send({ t: "vote", key: newKey(), card: c.id, delta: -1 }) });
        list.append(el("li", { class: `kind-${c.kind}` },
          el("span", { class: "title", dir: "auto", text: c.title }),
          el("span", { class: "count", text: tn("votes", c.votes, c.votes) +
            (count ? ` · ${t("mine_dots", count)}` : "") }),
          el("span", { class: "buttons" }, minus, plus)));
      }
      groups.push(el("h3", { dir: "auto", text: stage.name }), list);
    }
    const focused = document.activeElement && document.activeElement.getAttribute("aria-label");
    p.replaceChildren(...head, ...groups);
    if (focused) {
      const again = Array.from(p.querySelectorAll("button")).find(
        (b) => b.getAttribute("aria-label") === focused);
      if (again) again.focus();
    }
  }

  const FEEL = [[-2, "feel_m2", "😣"], [-1, "feel_m1", "🙁"], [0, "feel_0", "😐"],
    [1, "feel_p1", "🙂"], [2, "feel_p2", "😄"]];
  function renderFeel() {
    const p = ui.panels.feel;
    if (!ui.feelBuilt || ui.feelStages !== JSON.stringify(view.stages)) {
      ui.feelStages = JSON.stringify(view.stages);
      ui.feelBuilt = true;
      ui.feelRoom = {};
      ui.feelPaused = el("p", { class: "paused", text: t("feel_paused") });
      const sets = view.stages.map((stage) => {
        const radios = FEEL.map(([score, key, face]) => {
          const id = `feel-${stage.id}-${score}`;
          const input = el("input", { type: "radio", id, name: `feel-${stage.id}`, value: score,
            onchange: () => send({ t: "feel", key: newKey(), stage: stage.id, score }) });
          return el("span", { class: "choice" }, input,
            el("label", { for: id }, el("span", { "aria-hidden": "true", text: face }),
              el("span", { text: t(key) })));
        });
        ui.feelRoom[stage.id] = el("p", { class: "muted" });
        const clear = el("button", { type: "button", class: "link", text: t("feel_clear"),
          "aria-label": `${t("feel_clear")}: ${stage.name}`,
          onclick: () => send({ t: "feel", key: newKey(), stage: stage.id, score: null }) });
        return el("fieldset", { "data-stage": stage.id },
          el("legend", { dir: "auto", text: stage.name }),
          el("div", { class: "choices" }, ...radios), ui.feelRoom[stage.id], clear);
      });
      p.replaceChildren(el("h2", { text: t("feel_title") }), ui.feelPaused, ...sets);
    }
    ui.feelPaused.hidden = room.feelings;
    for (const input of p.querySelectorAll("input[type=radio]")) {
      const stage = input.name.slice(5);
      const mine = me.feelings[stage];
      input.checked = mine !== undefined && mine !== null && String(mine) === input.value;
      input.disabled = !room.feelings;
    }
    for (const point of view.curve || []) {
      const line = ui.feelRoom[point.stage];
      if (!line) continue;
      // the curve's point mixes the room's feelings with the map's own scored cards
      const people = point.people || 0, cards = point.n - people;
      const basis = [];
      if (people) basis.push(tn("feel_people", people, people));
      if (cards > 0) basis.push(tn("feel_cards", cards, cards));
      line.textContent = point.mean === null ? t("feel_room_none") :
        t("feel_room", (point.mean > 0 ? "+" : "") + point.mean.toFixed(1),
          (point.spread || 0).toFixed(1), basis.join(t("feel_and")));
    }
  }

  function renderMine() {
    if (!ui.panels) return;
    const p = ui.panels.mine;
    const items = [];
    for (const x of outbox) {
      if (x.msg.t === "add") items.push({ title: x.msg.title, status: "sending" });
    }
    for (const idea of (me && me.ideas) || []) items.push(idea);
    const list = el("ul", { class: "mine" }, ...items.map((i) => el("li", {},
      el("span", { class: "title", dir: "auto", text: i.title }),
      el("span", { class: `status status-${i.status}`, text: t(`status_${i.status}`) }))));
    p.replaceChildren(el("h2", { text: t("mine_title") }),
      items.length ? list : el("p", { text: t("mine_none") }));
  }

  function renderUnsent() {
    const ideas = outbox.filter((x) => x.msg.t === "add");
    if (!ideas.length) return;
    app.append(el("ul", { class: "mine" }, ...ideas.map((x) =>
      el("li", { dir: "auto", text: x.msg.title }))));
  }

  // ------------------------------------------------------------------ timer
  function setTimer(timer) {
    const box = document.getElementById("timer");
    if (!timer || timer.state === "idle") { box.hidden = true; timerBase = null; return; }
    box.hidden = false;
    document.getElementById("timer-label").textContent = t("timer");
    timerBase = { left: timer.remaining, running: timer.state === "running", at: performance.now() };
    tick();
  }
  function tick() {
    if (!timerBase) return;
    let left = timerBase.left;
    if (timerBase.running) left = Math.max(0, left - (performance.now() - timerBase.at) / 1000);
    const s = Math.ceil(left);
    document.getElementById("timer-left").textContent =
      `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
    document.getElementById("timer").classList.toggle("over", s === 0);
  }
  setInterval(tick, 1000);

  // ------------------------------------------------------------------ start
  window.addEventListener("online", () => { if (!ws && !finished) connect(); });
  if (participant) connect(); else showJoin();
})();
