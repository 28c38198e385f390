// taskstore dashboard: pages drawn from the JSON API (/api/), kept live by the
// event stream (/api/stream). Every value is put into the page as text
// (textContent, attributes), never as HTML.
"use strict";

const STATUSES = ["CREATED", "UPLOADING", "UPLOAD_FAILED", "QUEUED", "PROCESSING", "COMPLETED", "FAILED", "CANCELLED",
                  "EXPIRED"];

// --- building the page -------------------------------------------------------

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

function svg(tag, attrs, ...children) {
  const el = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
  for (const c of children.flat(Infinity)) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

const statusBadge = (s) => h("span", {class: "status " + s, "data-status": s}, s);
const taskLink = (id) => h("a", {href: "/tasks/" + encodeURIComponent(id), class: "mono"}, id);
const when = (t) => (t ? new Date(t).toLocaleString() : "");
const ago = (seconds) => (seconds === null || seconds === undefined ? "" :
                          seconds < 120 ? seconds + " s" : seconds < 7200 ? Math.round(seconds / 60) + " min" :
                                                                           Math.round(seconds / 3600) + " h");

function table(headers, rows, empty) {
  if (!rows.length) return h("p", {class: "muted"}, empty || "None.");
  return h("table", {}, h("thead", {}, h("tr", {}, headers.map((c) => h("th", {class: c.num ? "num" : ""}, c.title)))),
           h("tbody", {}, rows));
}

function show(...nodes) {
  document.getElementById("main").replaceChildren(...nodes.flat(Infinity).filter((n) => n !== "" && n != null && n !== false));
}

function message(text, error) { return h("div", {class: "message" + (error ? " error" : ""), role: "status"}, text); }

// --- the API -------------------------------------------------------------------

async function api(path, options) {
  const r = await fetch(path, Object.assign({headers: {"Accept": "application/json"}}, options || {}));
  const text = await r.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch (e) { body = null; }
  if (!r.ok) {
    const e = body && body.error;
    throw new Error(e ? e.message + " (" + e.code + ")" : r.status + " " + text.trim());
  }
  return body;
}

function token() { return sessionStorage.getItem("taskstore-token") || ""; }

async function act(path, what) {
  if (!token()) throw new Error("Enter the token (top right) to " + what + ".");
  if (!window.confirm("Really " + what + "?")) return null;
  return api(path, {method: "POST", headers: {"Authorization": "Bearer " + token(), "Accept": "application/json"}});
}

// --- live updates ----------------------------------------------------------------

let stream = null;
// Each page drawn gets a number: what an older page started (a fetch, a timer) draws nothing.
let generation = 0;

function closeLive() {
  if (stream) stream.close();
  stream = null;
  document.getElementById("live").className = "live off";
}

/// Calls `onEvent(event)` for each appended event (of `task` only, when given), and `onOpen` when the stream
/// reconnected. @returns a promise of the first `ready` (or of 1.5 s, whichever comes first): a page fetched after it
/// misses nothing appended since.
function live(task, onEvent, onOpen) {
  if (stream) stream.close();
  const badge = document.getElementById("live");
  stream = new EventSource("/api/stream" + (task ? "?task=" + encodeURIComponent(task) : ""));
  let opened = false;
  return new Promise((resolve) => {
    setTimeout(resolve, 1500);
    stream.addEventListener("ready", () => {
      badge.className = "live";
      if (opened && onOpen) onOpen();
      opened = true;
      resolve();
    });
    stream.addEventListener("task_event", (m) => onEvent(JSON.parse(m.data)));
    stream.onerror = () => { badge.className = "live off"; };
  });
}

/// `fn` at most once per `ms`, the last call winning.
function throttled(fn, ms) {
  let timer = null, again = false;
  return () => {
    if (timer) { again = true; return; }
    fn();
    timer = setTimeout(() => { timer = null; if (again) { again = false; fn(); } }, ms);
  };
}

// --- overview ------------------------------------------------------------------

function chart(minutes) {
  const w = 720, hgt = 140, pad = 24, n = minutes.length;
  const most = Math.max(1, ...minutes.map((m) => m.completions + m.failures));
  const bw = (w - 2 * pad) / n;
  const bars = [];
  minutes.forEach((m, i) => {
    const x = pad + i * bw, scale = (hgt - 2 * pad) / most;
    const hc = m.completions * scale, hf = m.failures * scale;
    const title = svg("title", {}, new Date(m.minute).toLocaleTimeString() + ": " + m.completions + " completed, " +
                                        m.failures + " failed");
    bars.push(svg("rect", {class: "completions", x: x + 1, y: hgt - pad - hc, width: bw - 2, height: hc}, title));
    bars.push(svg("rect", {class: "failures", x: x + 1, y: hgt - pad - hc - hf, width: bw - 2, height: hf}));
  });
  return svg("svg", {viewBox: `0 0 ${w} ${hgt}`, role: "img", "aria-label": "completions and failures per minute",
                     id: "throughput"},
             bars, svg("text", {x: pad, y: 14}, "per minute, last hour (max " + most + ")"),
             svg("text", {x: pad, y: hgt - 6}, "−60 min"), svg("text", {x: w - pad - 20, y: hgt - 6}, "now"));
}

async function overview(gen) {
  const o = await api("/api/overview");
  if (gen !== generation) return;
  document.title = "taskstore: overview";
  const queued = o.queues.reduce((a, q) => a + q.queued, 0);
  const processing = o.queues.reduce((a, q) => a + q.processing, 0);
  const hour = o.last_hour.reduce((a, m) => ({c: a.c + m.completions, f: a.f + m.failures}), {c: 0, f: 0});
  const paused = o.queues.filter((q) => q.paused);
  const card = (label, n, id) => h("div", {class: "card"}, h("div", {class: "n", id}, n), h("div", {class: "muted"}, label));
  show(
      h("h1", {}, "Overview"),
      h("div", {class: "cards"}, card("queued", queued, "queued-total"), card("processing", processing, "processing-total"),
        card("completed, last hour", hour.c, "completed-hour"), card("failed, last hour", hour.f, "failed-hour"),
        card("paused queues", paused.length, "paused-total")),
      h("h2", {}, "Completions and failures"), chart(o.last_hour),
      h("h2", {}, "Queues"),
      table([{title: "tool"}, {title: "queued", num: 1}, {title: "processing", num: 1}, {title: "limit", num: 1},
             {title: "oldest queued"}, {title: ""}],
            o.queues.map((q) => h("tr", {"data-tool": q.tool_id},
                                  h("td", {}, h("a", {href: "/tasks?tool=" + encodeURIComponent(q.tool_id)}, q.tool_id),
                                    q.paused ? h("span", {class: "status CANCELLED"}, " paused") : ""),
                                  h("td", {class: "num"}, q.queued), h("td", {class: "num"}, q.processing),
                                  h("td", {class: "num"}, q.max_processing === null ? "—" : q.max_processing),
                                  h("td", {}, ago(q.oldest_queued_age_s)),
                                  h("td", {}, h("button", {onclick: () => queueAction(q.tool_id, q.paused ? "resume" : "pause")},
                                                q.paused ? "Resume" : "Pause")))),
            "No queued or running tasks."),
      h("h2", {}, "Running"),
      table([{title: "task"}, {title: "tool"}, {title: "worker"}, {title: "started"}, {title: "lease until"},
             {title: "progress", num: 1}],
            o.running.map((t) => h("tr", {}, h("td", {}, taskLink(t.task_id)), h("td", {}, t.tool_id),
                                   h("td", {}, t.locked_by || ""), h("td", {}, when(t.processing_started_at)),
                                   h("td", {}, when(t.lease_expires_at)), h("td", {class: "num"}, t.progress + "%"))),
            "Nothing is running."),
      h("h2", {}, "Leaders"),
      table([{title: "role"}, {title: "holder"}, {title: "elected"}, {title: "expires"}],
            o.leaders.map((l) => h("tr", {}, h("td", {}, l.name), h("td", {class: "mono"}, l.holder),
                                   h("td", {}, when(l.elected_at)), h("td", {}, when(l.expires_at)))),
            "No leader: no worker runs maintenance."),
      o.replica ? h("p", {class: "muted"}, "Standby: " + (o.replica.serving ? "serving reads" : "passed over") +
                                                (o.replica.lag_ms === null ? "" : ", lag " + o.replica.lag_ms + " ms")) : "",
      h("p", {class: "muted"}, "Database: " + o.database));
}

async function queueAction(tool, action) {
  try {
    if (await act("/api/queues/" + encodeURIComponent(tool) + "/" + action, action + " the queue of " + tool)) await overview(generation);
  } catch (e) { document.getElementById("main").prepend(message(e.message, true)); }
}

// --- task list -------------------------------------------------------------------

const FILTERS = ["status", "tool", "user", "workflow", "created_after", "created_before"];

async function taskList(gen) {
  document.title = "taskstore: tasks";
  const params = new URLSearchParams(location.search);
  const field = (name, label, input) => h("label", {}, label, input);
  const text = (name, placeholder) => h("input", {name, value: params.get(name) || "", placeholder});
  const form = h("form", {class: "filters", id: "filters"},
                 field("status", "status", h("select", {name: "status"}, h("option", {value: ""}, "any"),
                                              STATUSES.map((s) => h("option", {value: s, selected: params.get("status") === s}, s)))),
                 field("tool", "tool", text("tool", "tool id")), field("user", "user", text("user", "id or email")),
                 field("workflow", "workflow", text("workflow", "workflow id")),
                 field("created_after", "created after", text("created_after", "2026-01-01T00:00:00Z")),
                 field("created_before", "created before", text("created_before", "")),
                 h("button", {type: "submit"}, "Filter"));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const q = new URLSearchParams();
    for (const f of FILTERS) { const v = form.elements[f].value.trim(); if (v) q.set(f, v); }
    navigate("/tasks" + (q.toString() ? "?" + q : ""));
  });
  const find = h("form", {class: "filters", id: "find"}, field("id", "look up a task id", h("input", {name: "id", placeholder: "task id", size: 40})),
                 h("button", {type: "submit"}, "Open"));
  find.addEventListener("submit", (e) => { e.preventDefault(); const id = find.elements.id.value.trim(); if (id) navigate("/tasks/" + encodeURIComponent(id)); });

  const q = new URLSearchParams();
  for (const f of FILTERS) if (params.get(f)) q.set(f, params.get(f));
  if (params.get("after")) q.set("after", params.get("after"));
  q.set("limit", "50");
  let page;
  try { page = await api("/api/tasks?" + q); } catch (e) { return gen === generation && show(h("h1", {}, "Tasks"), form, message(e.message, true)); }
  if (gen !== generation) return;
  const rows = page.tasks.map((t) => h("tr", {"data-task": t.task_id}, h("td", {}, taskLink(t.task_id)), h("td", {}, statusBadge(t.status)),
                                       h("td", {}, t.tool_id), h("td", {class: "num"}, t.user_id), h("td", {}, t.title || ""),
                                       h("td", {class: "num"}, t.progress + "%"), h("td", {}, when(t.created_at))));
  const next = new URLSearchParams(params);
  if (page.pagination.next) next.set("after", page.pagination.next);
  show(h("h1", {}, "Tasks"), form, find,
       page.pagination.total === null ? "" : h("p", {class: "muted"}, page.pagination.total + " matching"),
       table([{title: "task"}, {title: "status"}, {title: "tool"}, {title: "user", num: 1}, {title: "title"},
              {title: "progress", num: 1}, {title: "created"}], rows, "No tasks match."),
       h("p", {}, params.get("after") ? h("a", {href: "/tasks" + (() => { const f = new URLSearchParams(params); f.delete("after"); return f.toString() ? "?" + f : ""; })()}, "First page") : "",
         " ", page.pagination.has_more ? h("a", {href: "/tasks?" + next, id: "next-page"}, "Next page") : ""));
}

// --- one task ----------------------------------------------------------------------

/// Microseconds since the epoch: the API's times carry six decimals, which Date keeps three of.
function micros(t) {
  const m = /^(.*\.\d{3})(\d{0,3})Z$/.exec(t);
  return m ? Date.parse(m[1] + "Z") * 1000 + Number(m[2].padEnd(3, "0")) : Date.parse(t) * 1000;
}

const seconds = (us) => (us < 1e6 ? (us / 1000).toFixed(1) + " ms" : (us / 1e6).toFixed(1) + " s");

function runsChart(runs) {
  if (!runs.length) return h("p", {class: "muted"}, "No agent runs.");
  const starts = runs.map((r) => micros(r.started_at));
  const ends = runs.map((r) => (r.finished_at ? micros(r.finished_at) : Date.now() * 1000));
  const t0 = Math.min(...starts), t1 = Math.max(...ends, t0 + 1);
  const w = 720, row = 22, pad = 130, hgt = runs.length * row + 30;
  const x = (t) => pad + (t - t0) / (t1 - t0) * (w - pad - 10);
  const bars = runs.map((r, i) => [
    svg("text", {x: 4, y: 18 + i * row}, r.agent_name),
    svg("rect", {class: "bar " + String(r.status).toLowerCase(), x: x(starts[i]), y: 6 + i * row,
                 width: Math.max(2, x(ends[i]) - x(starts[i])), height: row - 8},
        svg("title", {}, r.agent_name + ": " + r.status + ", " + seconds(ends[i] - starts[i])))]);
  return svg("svg", {viewBox: `0 0 ${w} ${hgt}`, id: "agent-runs", role: "img", "aria-label": "agent runs on a time axis"},
             bars, svg("text", {x: pad, y: hgt - 6}, new Date(t0 / 1000).toLocaleTimeString()),
             svg("text", {x: w - 80, y: hgt - 6}, "+" + seconds(t1 - t0)));
}

function eventRow(e) {
  return h("tr", {"data-event": e.id}, h("td", {}, when(e.created_at)), h("td", {}, e.event_type), h("td", {}, e.level),
           h("td", {}, e.agent_role || ""), h("td", {}, e.content || ""));
}

async function taskPage(id, gen) {
  document.title = "taskstore: task " + id;
  let d;
  try { d = await api("/api/tasks/" + encodeURIComponent(id) + "/detail"); } catch (e) { return gen === generation && show(h("h1", {}, "Task"), message(e.message, true)); }
  const t = d.task;
  let events = [], after = 0;
  for (let i = 0; i < 20; ++i) {
    const page = await api("/api/tasks/" + encodeURIComponent(id) + "/events?limit=1000&after=" + after);
    events = events.concat(page.events);
    if (!page.has_more) break;
    after = page.next;
  }
  if (gen !== generation) return;
  const changes = events.filter((e) => e.event_type === "STATUS_CHANGE");
  const eventsBody = h("tbody", {id: "events"}, events.map(eventRow));
  const notice = h("div", {id: "notice"});
  // What the lifecycle allows from here (docs/lifecycle.md); the server checks again.
  const allowed = {cancel: ["QUEUED", "PROCESSING"], retry: ["FAILED"], requeue: ["QUEUED", "PROCESSING"]};
  const action = (name, label, danger) => h("button", {class: danger ? "danger" : "", id: "action-" + name,
                                                      disabled: !allowed[name].includes(t.status), onclick: async () => {
    try {
      if (await act("/api/tasks/" + encodeURIComponent(id) + "/" + name, label.toLowerCase() + " this task")) await taskPage(id, generation);
    } catch (e) { notice.replaceChildren(message(e.message, true)); }
  }}, label);
  const field = (k, v) => [h("dt", {}, k), h("dd", {}, v === null || v === undefined || v === "" ? "—" : v)];
  show(
      h("h1", {}, "Task ", h("span", {class: "mono"}, t.task_id), " ", statusBadge(t.status)),
      notice,
      h("div", {class: "actions"}, action("cancel", "Cancel", true), action("retry", "Retry"), action("requeue", "Requeue")),
      h("dl", {class: "fields", id: "task-fields"},
        field("tool", t.tool_id), field("user", String(t.user_id)), field("title", t.title), field("workflow", t.workflow_id),
        field("progress", t.progress + "%" + (t.current_agent ? " (" + t.current_agent + ")" : "")),
        field("attempt", t.attempt + " of " + t.max_attempts), field("priority", String(t.priority)),
        field("worker", t.locked_by), field("lease until", when(t.lease_expires_at)), field("run after", when(t.run_after)),
        field("created", when(t.created_at)), field("processing since", when(t.processing_started_at)),
        field("completed", when(t.completed_at)), field("failed", when(t.failed_at)),
        field("error", t.error_code ? t.error_code + ": " + (t.error_message || "") : ""), field("result", t.result_summary)),
      h("h2", {}, "Status"),
      h("ol", {class: "timeline", id: "timeline"}, changes.map((e) => h("li", {title: when(e.created_at)},
                                                                            statusBadge(String(e.content).split("->")[1] || e.content)))),
      t.failure_context ? [h("h2", {}, "Failure context"), h("pre", {id: "failure-context"}, JSON.stringify(t.failure_context, null, 2))] : "",
      h("h2", {}, "Agent runs"), runsChart(d.agent_runs),
      d.completion ? [h("h2", {}, "Completion"),
                      h("dl", {class: "fields", id: "completion"}, field("status", d.completion.status),
                        field("tokens", String(d.completion.tokens_used)), field("steps", d.completion.summary_steps),
                        field("dos and don'ts", d.completion.summary_dos_donts), field("learnings", d.completion.summary_learnings),
                        field("expected outcome", d.completion.summary_expected_outcome))] : "",
      d.drafts.length ? [h("h2", {}, "Drafts"),
                         table([{title: "version", num: 1}, {title: "type"}, {title: "status"}, {title: "content"}],
                               d.drafts.map((x) => h("tr", {}, h("td", {class: "num"}, x.version), h("td", {}, x.type),
                                                     h("td", {}, x.status), h("td", {}, h("pre", {}, x.content)))))] : "",
      d.emails.length ? [h("h2", {}, "E-mails"),
                         table([{title: "to"}, {title: "subject"}, {title: "status"}, {title: "attempts", num: 1}, {title: "last error"}],
                               d.emails.map((m) => h("tr", {}, h("td", {}, m.recipient), h("td", {}, m.subject), h("td", {}, m.status),
                                                     h("td", {class: "num"}, m.attempts), h("td", {}, m.last_error || ""))))] : "",
      h("h2", {}, "Events"),
      h("table", {}, h("thead", {}, h("tr", {}, ["time", "type", "level", "agent", "content"].map((c) => h("th", {}, c)))), eventsBody));
}

// --- health (taskstore doctor) ---------------------------------------------------------

async function health(gen) {
  const r = await api("/api/doctor");
  if (gen !== generation) return;
  const attention = r.findings.filter((f) => f.level === "attention").length;
  show(h("h1", {}, "Health"),
       h("p", {class: attention ? "message error" : "message ok", id: "health-summary"},
         r.backend + ": " + (attention ? attention + " finding(s) need attention" : "nothing needs attention") +
         (r.findings.length > attention ? ", " + (r.findings.length - attention) + " advice" : "")),
       h("h2", {}, "Findings"),
       table([{title: "level"}, {title: "check"}, {title: "about"}, {title: "seen"}, {title: "what to do"}],
             r.findings.map((f) => h("tr", {"data-level": f.level},
                                     h("td", {}, h("span", {class: "level " + f.level}, f.level)), h("td", {}, f.check),
                                     h("td", {class: "mono"}, f.subject), h("td", {}, f.detail), h("td", {}, f.action))),
             "Nothing found."),
       h("h2", {}, "Checks"),
       table([{title: "check"}, {title: "result"}],
             r.checks.map((c) => h("tr", {"data-check": c.name}, h("td", {}, c.name), h("td", {}, c.result)))),
       h("h2", {}, "Query plans"),
       table([{title: "query"}, {title: "table"}, {title: "rows", num: true}, {title: "indexes"}, {title: "reads whole"},
              {title: "plan"}],
             r.plans.map((p) => h("tr", {},
                                  h("td", {}, p.query), h("td", {}, p.table), h("td", {class: "num"}, p.table_rows),
                                  h("td", {class: "mono"}, p.indexes.join(", ")),
                                  h("td", {class: "mono"}, p.full_scans.join(", ")),
                                  h("td", {}, h("pre", {class: "plan"}, p.plan))))));
}

// --- routing -----------------------------------------------------------------------

function navigate(path) {
  history.pushState(null, "", path);
  route();
}

async function route() {
  const gen = ++generation;
  closeLive();
  const path = location.pathname;
  // The page is fetched once its stream is open, and drawn again when the stream reconnects: nothing appended is missed.
  const current = (draw) => throttled(() => { if (gen === generation) draw(gen); }, 1000);
  try {
    if (path === "/") {
      const again = current(overview);
      await live(null, again, again);
      await overview(gen);
    } else if (path === "/tasks") {
      // Not while a filter is being typed: the redrawn form would take the text away.
      const again = current((g) => { if (!document.activeElement.closest("form")) taskList(g); });
      // Only the first page follows new tasks: later pages would shift under the reader.
      if (!new URLSearchParams(location.search).get("after")) await live(null, again, again);
      await taskList(gen);
    } else if (path === "/health") {
      await health(gen);
    } else if (path.startsWith("/tasks/")) {
      const id = decodeURIComponent(path.slice("/tasks/".length));
      const again = current((g) => taskPage(id, g));
      await live(id, (e) => {
        const body = document.getElementById("events");
        if (gen === generation && body && !body.querySelector(`[data-event="${e.id}"]`)) body.append(eventRow(e));
        if (e.event_type === "STATUS_CHANGE" || e.event_type === "AGENT_START" || e.event_type === "AGENT_COMPLETE") again();
      }, again);
      await taskPage(id, gen);
    } else {
      show(h("h1", {}, "Not found"), h("p", {}, h("a", {href: "/"}, "Overview")));
    }
  } catch (e) {
    if (gen === generation) show(message(e.message, true));
  }
}

document.addEventListener("DOMContentLoaded", () => {
  const input = document.getElementById("token");
  input.value = token();
  input.addEventListener("change", () => sessionStorage.setItem("taskstore-token", input.value.trim()));
  document.getElementById("token-form").addEventListener("submit", (e) => {
    e.preventDefault();
    sessionStorage.setItem("taskstore-token", input.value.trim());
  });
  window.addEventListener("popstate", route);
  document.body.addEventListener("click", (e) => {
    const a = e.target.closest("a");
    if (a && a.origin === location.origin && !e.ctrlKey && !e.metaKey && !a.hasAttribute("download")) {
      e.preventDefault();
      navigate(a.pathname + a.search);
    }
  });
  route();
});
