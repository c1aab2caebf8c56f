// checkpointd dashboard: plain JavaScript over the service's own API and live streams.
"use strict";

const view = document.getElementById("view");
const live = document.getElementById("live");
const signOut = document.getElementById("sign-out");
let stream = null;   // the live stream of the current view
let timer = null;    // the polling timer of the current view
const STATUSES = ["QUEUED", "RUNNING", "PAUSED", "SUCCEEDED", "FAILED", "CANCELLED"];

function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (v !== null && v !== undefined && v !== false) el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) el.append(c.nodeType ? c : String(c));
  return el;
}

// ---- API key ---------------------------------------------------------------------------
// Asked for only when the API answers 401, so an open service looks as it always did. Kept in
// sessionStorage: it goes with the tab, where localStorage would hand it to whoever opens the
// browser next.

const KEY = "checkpointd.api-key";

function authHeaders() {
  const key = sessionStorage.getItem(KEY);
  return key ? { Authorization: `Bearer ${key}` } : {};
}

/** Thrown once a 401 has put the sign-in form up: whatever was asking the API stops there. */
class SignInNeeded extends Error {}
window.addEventListener("unhandledrejection", e => { if (e.reason instanceof SignInNeeded) e.preventDefault(); });

/**
 * A 401 to a request sent with `key`. A request that went out with another key than the tab's
 * now (one in flight while someone signed in or out) says nothing about the current one.
 */
function refused(key, answer) {
  if (key === sessionStorage.getItem(KEY)) signIn(answer);
  throw new SignInNeeded();
}

function signIn(refusal) {
  closeStream();
  const tried = sessionStorage.getItem(KEY) !== null;
  sessionStorage.removeItem(KEY);
  signOut.hidden = true;
  const input = h("input", { id: "api-key", name: "api-key", type: "password", autocomplete: "off", spellcheck: "false" });
  const submit = ev => {
    ev.preventDefault();
    if (!input.value.trim()) return;
    sessionStorage.setItem(KEY, input.value.trim());
    route();
  };
  view.replaceChildren(h("section", { class: "panel sign-in" },
    h("h1", {}, "Sign in"),
    h("p", { class: "muted" }, "This service asks for an API key. It stays in this tab and goes with each request as ",
      h("code", {}, "Authorization: Bearer"), "."),
    h("form", { id: "sign-in-form", onsubmit: submit },
      h("label", { for: "api-key" }, "API key"), input,
      h("button", { class: "primary", type: "submit", id: "sign-in-submit" }, "Sign in")),
    h("div", { class: "answer" + (tried ? " bad" : ""), id: "sign-in-answer" }, tried ? describe(refusal) : "")));
  input.focus();
  throw new SignInNeeded();
}

signOut.addEventListener("click", () => {
  sessionStorage.removeItem(KEY);
  route();
});

async function answerOf(res) {
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
  return { ok: res.ok, status: res.status, json, text };
}

async function api(method, path, body) {
  const key = sessionStorage.getItem(KEY);
  const headers = authHeaders();
  if (body) headers["Content-Type"] = "application/json";
  const answer = await answerOf(await fetch(path, { method, headers, body: body ? JSON.stringify(body) : undefined }));
  if (answer.status === 401) refused(key, answer);
  return answer;
}

/** The API's answer in words: a problem's title, detail and field errors, or the new status. */
function describe(answer) {
  if (answer.ok) return `${answer.status}: ${answer.json && answer.json.status ? "job is " + answer.json.status : "done"}`;
  const p = answer.json || {};
  const lines = [`${answer.status} ${p.title || ""}`.trim()];
  if (p.detail) lines.push(p.detail);
  for (const e of p.errors || []) lines.push(`${e.field}: ${e.message}`);
  return lines.join("\n");
}

const fmt = {
  num: n => n === null || n === undefined ? "—" : Number(n).toLocaleString(),
  rate: r => r === null || r === undefined ? "—" : `${Number(r).toLocaleString(undefined, { maximumFractionDigits: 1 })}/s`,
  secs: s => {
    if (s === null || s === undefined) return "—";
    if (s < 60) return `${Math.round(s)} s`;
    if (s < 3600) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
    return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
  },
  time: t => t ? new Date(t).toLocaleTimeString() : "—",
  id: id => id.slice(0, 8),
};

function bar(percent, status, big) {
  const b = h("div", { class: "bar" + (status === "SUCCEEDED" ? " done" : "") + (big ? " big" : ""), role: "progressbar",
    "aria-valuenow": percent, "aria-valuemin": 0, "aria-valuemax": 100 });
  const fill = h("span");
  fill.style.width = `${Math.min(100, percent)}%`;
  b.append(fill);
  return b;
}

/** Applies a progress event to a job we hold: iteration, percent, rate and ETA as seen from here. */
function applyProgress(job, p) {
  // by the server's clock: events of one flush arrive together, but happened apart
  const now = Date.parse(p.at) || Date.now();
  const seen = job.seen;
  if (seen && p.iteration > seen.iteration && now > seen.at) {
    const rate = (p.iteration - seen.iteration) * 1000 / (now - seen.at);
    const before = job.progress.ratePerSecond;
    job.progress.ratePerSecond = before ? 0.7 * before + 0.3 * rate : rate; // smoothed: steps are bursty
    job.progress.etaSeconds = (job.progress.total - p.iteration) / job.progress.ratePerSecond;
  }
  if (!seen || p.iteration > seen.iteration) job.seen = { iteration: p.iteration, at: now };
  job.progress.iteration = Math.max(job.progress.iteration, p.iteration);
  job.progress.percent = job.progress.total ? Math.round(job.progress.iteration * 1000 / job.progress.total) / 10 : 100;
  if (p.type === "CHECKPOINTED") {
    job.checkpointsWritten = p.seq;
    job.lastCheckpoint = { ...(job.lastCheckpoint || {}), seq: p.seq, iteration: p.iteration, iterationsAtRisk: 0 };
  } else if (job.lastCheckpoint) {
    job.lastCheckpoint.iterationsAtRisk = job.progress.iteration - job.lastCheckpoint.iteration;
  }
}

/**
 * A live stream of Server-Sent Events, read with fetch() rather than EventSource, which cannot send
 * the Authorization header (and a key in the URL would end up in access logs). As EventSource
 * does, it reconnects after a lost connection with the id of the last event seen as Last-Event-ID,
 * so the server resumes after it; an HTTP error ends it. With `onLost`, it does not reconnect:
 * `onLost` decides.
 */
function eventStream(path, { onEvent, onOpen, onLost }) {
  const abort = new AbortController();
  let closed = false;
  let lastEventId = null;

  async function connect() {
    const key = sessionStorage.getItem(KEY);
    const headers = { Accept: "text/event-stream", ...authHeaders() };
    if (lastEventId !== null) headers["Last-Event-ID"] = lastEventId;
    try {
      const res = await fetch(path, { headers, signal: abort.signal, cache: "no-store" });
      if (!res.ok) {
        closed = true;
        const answer = await answerOf(res);
        if (answer.status === 401) refused(key, answer);
        live.classList.remove("on");
        if (onLost) onLost(answer);
        return;
      }
      live.classList.add("on");
      await read(res.body);
    } catch (e) {
      if (e instanceof SignInNeeded) return;
      // otherwise the connection broke (or was aborted by close())
    }
    if (closed) return;
    live.classList.remove("on");
    if (onLost) onLost(null);
    else setTimeout(() => { if (!closed) connect(); }, 3000);
  }

  /** The text/event-stream format: fields line by line, an empty line ends an event. */
  async function read(body) {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "", data = [], type = "", id = lastEventId;
    for (;;) {
      const { value, done } = await reader.read();
      if (done || closed) return;
      buffer += value;
      let end;
      // a "\r" that ends the buffer may be half of a "\r\n": wait for the next chunk
      while ((end = buffer.search(/\r\n|\n|\r(?!$)/)) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + (buffer.startsWith("\r\n", end) ? 2 : 1));
        if (line === "") {
          lastEventId = id;
          if (data.length) onEvent({ type: type || "message", data: data.join("\n") });
          data = [];
          type = "";
          continue;
        }
        if (line.startsWith(":")) continue; // a comment: the server's keep-alive
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        let v = colon < 0 ? "" : line.slice(colon + 1);
        if (v.startsWith(" ")) v = v.slice(1);
        if (field === "data") data.push(v);
        else if (field === "event") type = v;
        else if (field === "id" && !v.includes("\0")) id = v;
      }
    }
  }

  connect();
  return { close() { closed = true; abort.abort(); } };
}

function openStream(path, handlers, onLost) {
  closeStream();
  stream = eventStream(path, {
    onLost,
    onEvent: e => {
      if (e.type === "job") handlers.job(JSON.parse(e.data));
      else if (e.type === "progress") JSON.parse(e.data).forEach(handlers.progress);
    },
  });
}

function closeStream() {
  if (stream) stream.close();
  stream = null;
  live.classList.remove("on");
  if (timer) clearInterval(timer);
  timer = null;
}

// ---- jobs list -----------------------------------------------------------------------

const listState = { status: "", kind: "", cursors: [null], page: 0, rows: new Map(), jobs: new Map() };

async function showJobs() {
  // the filter: every kind whose jobs the key sees (an admin: every tenant's); the form: the kinds
  // the key's own tenant may create, as that tenant declared them
  const [kindsAnswer, creatableAnswer] = await Promise.all([api("GET", "/kinds"), api("GET", "/kinds?creatable=true")]);
  // tenants may each declare one of the same name: each name once (a job's kind is its name)
  const kinds = (kindsAnswer.ok ? kindsAnswer.json : []).filter((k, i, all) => all.findIndex(o => o.name === k.name) === i);
  const creatable = creatableAnswer.ok ? creatableAnswer.json : [];
  const tbody = h("tbody", { id: "jobs" });
  const statusSel = h("select", { id: "filter-status", onchange: e => { listState.status = e.target.value; reload(true); } },
    h("option", { value: "" }, "any status"), STATUSES.map(s => h("option", { value: s, selected: s === listState.status }, s)));
  const kindSel = h("select", { id: "filter-kind", onchange: e => { listState.kind = e.target.value; reload(true); } },
    h("option", { value: "" }, "any kind"), kinds.map(k => h("option", { value: k.name, selected: k.name === listState.kind }, k.name)));
  const prev = h("button", { id: "prev", onclick: () => { listState.page--; reload(false); } }, "← Newer");
  const next = h("button", { id: "next", onclick: () => { listState.page++; reload(false); } }, "Older →");

  view.replaceChildren(
    h("h1", {}, "Jobs"),
    createForm(creatable),
    h("div", { class: "filters" }, statusSel, kindSel),
    h("table", {},
      h("thead", {}, h("tr", {}, h("th", {}, "Job"), h("th", {}, "Kind"), h("th", {}, "Status"), h("th", {}, "Progress"),
        h("th", { class: "num hide-narrow" }, "Rate"), h("th", { class: "num hide-narrow" }, "ETA"),
        h("th", { class: "num hide-narrow", title: "iterations since the last durable checkpoint" }, "At risk"),
        h("th", { class: "hide-narrow" }, "Instance"))),
      tbody),
    h("div", { class: "pager" }, prev, next));

  async function reload(resetPaging) {
    if (resetPaging) { listState.cursors = [null]; listState.page = 0; }
    const q = new URLSearchParams({ limit: "20" });
    if (listState.status) q.set("status", listState.status);
    if (listState.kind) q.set("kind", listState.kind);
    const cursor = listState.cursors[listState.page];
    if (cursor) q.set("cursor", cursor);
    const answer = await api("GET", "/jobs?" + q);
    if (!answer.ok) { // a key without the role says so (403), in place of the list
      tbody.replaceChildren(h("tr", {}, h("td", { colspan: 8 }, h("div", { class: "answer bad", id: "jobs-answer" }, describe(answer)))));
      return;
    }
    const page = answer.json;
    listState.cursors[listState.page + 1] = page.next;
    prev.disabled = listState.page === 0;
    next.disabled = !page.next;
    listState.rows.clear();
    listState.jobs.clear();
    tbody.replaceChildren(...page.items.map(row));
    if (page.items.length === 0) tbody.append(h("tr", {}, h("td", { colspan: 8, class: "muted" }, "No jobs here yet.")));
    const sq = new URLSearchParams();
    if (listState.status) sq.set("status", listState.status);
    if (listState.kind) sq.set("kind", listState.kind);
    openStream("/jobs/stream?" + sq, {
      job: e => {
        if (!e.job) return;
        if (listState.rows.has(e.jobId)) replaceRow(e.job);
        else if (e.type === "CREATED" && listState.page === 0) {
          tbody.querySelector("td.muted")?.parentElement.remove();
          tbody.prepend(row(e.job));
        }
      },
      progress: p => {
        const job = p.job || listState.jobs.get(p.jobId);
        if (!job || !listState.rows.has(p.jobId)) return;
        if (!p.job) applyProgress(job, p);
        replaceRow(job);
      },
    });
  }

  function replaceRow(job) {
    const old = listState.rows.get(job.id);
    if (old) old.replaceWith(row(job));
  }

  function row(job) {
    const p = job.progress;
    const risk = job.status === "RUNNING" ? (job.lastCheckpoint ? job.lastCheckpoint.iterationsAtRisk : p.iteration) : 0;
    const tr = h("tr", { "data-job": job.id, "data-status": job.status },
      h("td", {}, h("a", { href: `#/jobs/${job.id}` }, h("code", {}, fmt.id(job.id)))),
      h("td", {}, job.kind),
      h("td", {}, h("span", { class: `status ${job.status}` }, job.status)),
      h("td", {}, bar(p.percent, job.status), h("span", { class: "pct" }, `${p.percent}% · ${fmt.num(p.iteration)} / ${fmt.num(p.total)}`)),
      h("td", { class: "num hide-narrow" }, fmt.rate(p.ratePerSecond)),
      h("td", { class: "num hide-narrow" }, fmt.secs(p.etaSeconds)),
      h("td", { class: "num hide-narrow" }, fmt.num(risk)),
      h("td", { class: "hide-narrow" }, job.instance || "—"));
    listState.rows.set(job.id, tr);
    listState.jobs.set(job.id, job);
    return tr;
  }

  reload(false);
}

/** The create-job form, generated from GET /kinds?creatable=true: one field per parameter, with its default and limits. */
function createForm(kinds) {
  const fields = h("div", { class: "params", style: "display: contents" });
  const answer = h("div", { class: "answer", id: "create-answer" });
  const kindSel = h("select", { name: "kind", id: "create-kind", onchange: () => renderParams() },
    kinds.map(k => h("option", { value: k.name }, k.name)));
  const every = h("input", { name: "everyIterations", type: "number", min: 1, placeholder: "kind's default", id: "create-every" });

  function renderParams() {
    const kind = kinds.find(k => k.name === kindSel.value);
    fields.replaceChildren(...(kind ? kind.parameters : []).map(p => h("label", {},
      p.name,
      h("input", { name: `param-${p.name}`, id: `param-${p.name}`, type: "number", step: p.type === "integer" ? 1 : "any",
        value: p.defaultValue, min: p.minimum, max: p.maximum }),
      h("span", { class: "hint" }, `${p.description} (${p.minimum}–${p.maximum})`),
      h("span", { class: "err", "data-field": `params.${p.name}` }))));
  }

  async function submit(ev) {
    ev.preventDefault();
    const kind = kinds.find(k => k.name === kindSel.value);
    const params = {};
    for (const p of kind.parameters) {
      const v = form.querySelector(`[name="param-${p.name}"]`).value;
      if (v !== "") params[p.name] = Number(v);
    }
    const body = { kind: kind.name, params };
    if (every.value) body.checkpoint = { everyIterations: Number(every.value) };
    form.querySelectorAll(".err").forEach(e => { e.textContent = ""; });
    const res = await api("POST", "/jobs", body);
    answer.className = "answer " + (res.ok ? "ok" : "bad");
    answer.textContent = res.ok ? `${res.status}: created job ${res.json.id}` : describe(res);
    if (res.ok) {
      answer.append(" — ", h("a", { href: `#/jobs/${res.json.id}`, id: "created-link" }, "open it"));
    } else {
      for (const e of (res.json && res.json.errors) || []) {
        const slot = form.querySelector(`.err[data-field="${e.field}"]`);
        if (slot) slot.textContent = e.message;
      }
    }
  }

  // novalidate: the API validates, and its problem details are what a person should read
  const form = h("form", { class: "create", id: "create-form", novalidate: true, onsubmit: submit },
    h("label", {}, "kind", kindSel, h("span", { class: "hint" }, "what to run")),
    fields,
    h("label", {}, "checkpoint every (iterations)", every),
    h("div", { style: "align-self: end" }, h("button", { class: "primary", type: "submit", id: "create-submit" }, "Create job")));
  renderParams();
  return h("section", { class: "panel" }, h("h2", { style: "margin-top:0" }, "New job"), form, answer);
}

// ---- one job ---------------------------------------------------------------------------

async function showJob(id) {
  const first = await api("GET", `/jobs/${id}`);
  if (!first.ok) {
    view.replaceChildren(h("h1", {}, "Job"), h("div", { class: "answer bad" }, describe(first)));
    return;
  }
  let job = first.json;
  const summary = h("section", { class: "panel", id: "job-summary" });
  const answer = h("div", { class: "answer", id: "command-answer" });
  const timeline = h("ol", { class: "timeline", id: "timeline" });
  const checkpoints = h("tbody", { id: "checkpoints" });
  const state = h("pre", { id: "state" }, "—");
  const result = h("pre", { id: "result" }, "—");
  const command = path => async () => {
    const res = path === "delete" ? await api("DELETE", `/jobs/${id}`) : await api("POST", `/jobs/${id}/${path}`);
    answer.className = "answer " + (res.ok ? "ok" : "bad");
    answer.textContent = res.status === 204 ? "204: deleted" : describe(res);
    if (res.ok && res.json) { job = res.json; renderSummary(); }
  };
  const buttons = h("div", { class: "actions" },
    ["pause", "resume", "cancel", "delete"].map(c => h("button", { id: `btn-${c}`, onclick: command(c) }, c[0].toUpperCase() + c.slice(1))));

  view.replaceChildren(
    h("h1", {}, "Job ", h("code", {}, id)),
    summary, buttons, answer,
    h("h2", {}, "Result"), result,
    h("h2", {}, "Checkpoints"),
    h("table", {}, h("thead", {}, h("tr", {}, h("th", { class: "num" }, "Seq"), h("th", { class: "num" }, "Iteration"),
      h("th", { class: "num" }, "Size"), h("th", {}, "Written"))), checkpoints),
    h("h2", {}, "Latest state"), state,
    h("h2", {}, "Events"), timeline);

  function renderSummary() {
    const p = job.progress;
    const risk = job.status === "RUNNING" ? (job.lastCheckpoint ? job.lastCheckpoint.iterationsAtRisk : p.iteration) : 0;
    summary.replaceChildren(
      h("div", { class: "actions" }, h("span", { class: `status ${job.status}`, id: "job-status" }, job.status),
        job.requested ? h("span", { class: "muted" }, `${job.requested.toLowerCase()} requested`) : null,
        h("span", { class: "muted" }, job.kind), h("code", { class: "muted" }, job.params ? JSON.stringify(job.params) : "")),
      bar(p.percent, job.status, true),
      h("dl", { class: "facts" },
        h("dt", {}, "Progress"), h("dd", { id: "job-progress" }, `${p.percent}% · ${fmt.num(p.iteration)} of ${fmt.num(p.total)}`),
        h("dt", {}, "Rate"), h("dd", {}, fmt.rate(p.ratePerSecond)),
        h("dt", {}, "ETA"), h("dd", {}, fmt.secs(p.etaSeconds)),
        h("dt", {}, "Work at risk"), h("dd", {}, `${fmt.num(risk)} iterations`),
        h("dt", {}, "Instance"), h("dd", {}, job.instance || "—"),
        h("dt", {}, "Checkpoints"), h("dd", {}, fmt.num(job.checkpointsWritten)),
        h("dt", {}, "Attempts"), h("dd", {}, `${job.attempts} of ${job.maxAttempts}`),
        job.error ? h("dt", {}, "Error") : null, job.error ? h("dd", {}, job.error) : null));
    result.textContent = job.result ? JSON.stringify(job.result, null, 1) : "—";
  }

  let lastCheckpointLoad = 0;
  async function loadCheckpoints(force) {
    const now = Date.now();
    if (!force && now - lastCheckpointLoad < 1000) return;
    lastCheckpointLoad = now;
    const listed = await api("GET", `/jobs/${id}/checkpoints`);
    const list = listed.ok ? listed.json : [];
    checkpoints.replaceChildren(...list.map(c => h("tr", {}, h("td", { class: "num" }, c.seq), h("td", { class: "num" }, fmt.num(c.iteration)),
      h("td", { class: "num" }, `${fmt.num(c.sizeBytes)} B`), h("td", {}, fmt.time(c.createdAt)))));
    if (list.length === 0) checkpoints.append(h("tr", {}, h("td", { colspan: 4, class: "muted" }, job.status === "SUCCEEDED" ? "Removed on success." : "None yet.")));
    const latest = await api("GET", `/jobs/${id}/checkpoints/latest`);
    state.textContent = latest.ok ? JSON.stringify(latest.json.state, null, 1).slice(0, 4000) : describe(latest);
  }

  renderSummary();
  loadCheckpoints(true);
  openStream(`/jobs/${id}/stream`, {
    job: e => {
      timeline.append(h("li", {}, h("span", { class: "t" }, fmt.time(e.at)), h("strong", {}, e.type), e.detail ? ` — ${e.detail}` : ""));
      if (e.job) { job = e.job; renderSummary(); loadCheckpoints(true); }
    },
    progress: p => {
      if (p.job) job = p.job;
      else applyProgress(job, p);
      if (p.type === "CHECKPOINTED") loadCheckpoints(false);
      renderSummary();
    },
  }, lost);
  // A status change the stream has not brought (a reconnect's gap, a proxy holding the stream
  // back) shows within a few seconds all the same: the job is read again while it is not finished.
  timer = setInterval(async () => {
    if (["SUCCEEDED", "FAILED", "CANCELLED"].includes(job.status)) return;
    const now = await api("GET", `/jobs/${id}`);
    if (now.ok && (now.json.status !== job.status || now.json.requested !== job.requested)) {
      job = now.json;
      renderSummary();
      loadCheckpoints(true);
    }
  }, 3000);
  // The stream of a job ends with the job: no reconnecting then. Lost for another reason, the page
  // is rebuilt from the job's history rather than reconnected.
  const mine = stream;
  function lost() {
    const ended = ["SUCCEEDED", "FAILED", "CANCELLED"].includes(job.status);
    if (!ended) setTimeout(() => { if (stream === mine && location.hash === `#/jobs/${id}`) showJob(id); }, 2000);
  }
}

// ---- instances -------------------------------------------------------------------------

function showInstances() {
  const tbody = h("tbody", { id: "instances" });
  const self = h("p", { class: "muted" });
  view.replaceChildren(h("h1", {}, "Instances"), self,
    h("table", {}, h("thead", {}, h("tr", {}, h("th", {}, "Instance"), h("th", { class: "num" }, "Running jobs"),
      h("th", { class: "num" }, "Leases expire in"))), tbody),
    h("p", { class: "muted" }, "Workers holding leases on running jobs. A lease that is not renewed expires; its jobs turn QUEUED and move to another instance."));
  async function load() {
    const answer = await api("GET", "/instances");
    if (!answer.ok) { self.textContent = describe(answer); return; }
    const res = answer.json;
    self.textContent = `This page is served by ${res.self}.`;
    tbody.replaceChildren(...res.holders.map(i => h("tr", {},
      h("td", {}, i.instance, i.self ? h("span", { class: "muted" }, " (this one)") : null),
      h("td", { class: "num" }, i.runningJobs),
      h("td", { class: "num" }, i.soonestLeaseExpirySeconds < 0 ? h("span", { class: "status FAILED" }, "expired")
        : `${i.soonestLeaseExpirySeconds.toFixed(1)}–${i.latestLeaseExpirySeconds.toFixed(1)} s`))));
    if (res.holders.length === 0) tbody.append(h("tr", {}, h("td", { colspan: 3, class: "muted" }, "No instance runs a job right now.")));
  }
  load();
  timer = setInterval(load, 2000);
}

// ---- metrics ---------------------------------------------------------------------------

/**
 * Prometheus's text from /q/metrics, fetched with this tab's key: a plain link would carry none,
 * and with a metrics key configured the service answers it 401.
 */
function showMetrics() {
  const text = h("pre", { id: "metrics", class: "metrics" });
  const answer = h("div", { class: "answer", id: "metrics-answer" });
  view.replaceChildren(h("h1", {}, "Metrics"),
    h("p", { class: "muted" }, "What Prometheus scrapes from ", h("code", {}, "/q/metrics"),
      " (with a metrics key configured, it takes that key or an admin API key). Refreshed every 5 s."),
    answer, text);
  async function load() {
    const res = await api("GET", "/q/metrics");
    answer.textContent = res.ok ? "" : describe(res);
    answer.classList.toggle("bad", !res.ok);
    text.textContent = res.ok ? res.text : "";
  }
  load();
  timer = setInterval(load, 5000);
}

// ---- routing ---------------------------------------------------------------------------

function route() {
  closeStream();
  signOut.hidden = sessionStorage.getItem(KEY) === null;
  const hash = location.hash || "#/";
  const page = hash.startsWith("#/instances") ? "instances" : hash.startsWith("#/metrics") ? "metrics" : "jobs";
  for (const name of ["jobs", "instances", "metrics"]) {
    document.getElementById(`nav-${name}`).classList.toggle("active", page === name);
  }
  const job = hash.match(/^#\/jobs\/([0-9a-f-]+)$/);
  if (job) showJob(job[1]);
  else if (page === "instances") showInstances();
  else if (page === "metrics") showMetrics();
  else showJobs();
}

window.addEventListener("hashchange", route);
route();
