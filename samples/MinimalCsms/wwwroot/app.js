// The MinimalCsms dashboard: reads the HTTP API, refreshes on every Server-Sent Event from /api/events.
"use strict";

const $ = (selector) => document.querySelector(selector);
const text = (value) => (value === null || value === undefined ? "" : String(value));
const time = (iso) => (iso ? new Date(iso).toLocaleTimeString() : "");

function cell(row, value, className) {
  const td = row.insertCell();
  td.textContent = text(value);
  if (className) td.className = className;
  return td;
}

function fillSelect(select, values, keep) {
  const current = keep ? select.value : "";
  select.replaceChildren(...values.map((v) => new Option(v, v)));
  if (current && values.includes(current)) select.value = current;
}

async function getJson(path) {
  const response = await fetch(path, { cache: "no-store" });
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.json();
}

async function refreshChargePoints() {
  const chargePoints = await getJson("/api/chargepoints");
  const body = $("#chargepoints tbody");
  body.replaceChildren();
  for (const cp of chargePoints) {
    const row = body.insertRow();
    row.dataset.chargepoint = cp.id;
    cell(row, cp.id);
    cell(row, cp.bootNotification ? `${cp.bootNotification.chargePointVendor} ${cp.bootNotification.chargePointModel}` : "(not booted)");
    cell(row, cp.registrationStatus);
    const connectors = row.insertCell();
    for (const c of cp.connectors) {
      const span = document.createElement("span");
      span.className = "connector";
      span.dataset.connector = c.connectorId;
      span.dataset.status = c.status;
      span.textContent = `${c.connectorId}: ${c.status}${c.errorCode !== "NoError" ? " " + c.errorCode : ""}`;
      connectors.append(span);
    }
    cell(row, time(cp.lastHeartbeat));
    cell(row, time(cp.lastSeen));
    cell(row, cp.node ?? "");
  }
  $("#cp-count").textContent = chargePoints.length;
  const ids = chargePoints.map((cp) => cp.id);
  fillSelect($("#command-chargepoint"), ids, true);
  fillSelect($("#log-chargepoint"), ids, true);
}

async function refreshTransactions() {
  const transactions = (await getJson("/api/transactions")).filter((t) => t.active);
  const body = $("#transactions tbody");
  body.replaceChildren();
  for (const t of transactions) {
    const row = body.insertRow();
    row.dataset.transaction = t.transactionId;
    row.dataset.chargepoint = t.chargePointId;
    row.dataset.connector = t.connectorId;
    cell(row, t.transactionId);
    cell(row, t.chargePointId);
    cell(row, t.connectorId);
    cell(row, t.idTag);
    cell(row, time(t.startTime));
    cell(row, t.lastMeterValueWh ?? t.meterStart, "energy");
  }
}

async function refreshLog() {
  const id = $("#log-chargepoint").value;
  const body = $("#log tbody");
  if (!id) { body.replaceChildren(); return; }
  const entries = await getJson(`/api/chargepoints/${encodeURIComponent(id)}/log`);
  body.replaceChildren();
  for (const e of entries.slice().reverse().slice(0, 50)) {
    const row = body.insertRow();
    cell(row, time(e.time));
    cell(row, e.direction === "in" ? "\u2190" : "\u2192");
    cell(row, e.action);
    cell(row, e.request, "payload");
    cell(row, e.response, "payload");
  }
}

let pending = null;
function refreshSoon() {
  if (pending) return;
  pending = setTimeout(async () => {
    pending = null;
    try {
      await Promise.all([refreshChargePoints(), refreshTransactions()]);
      await refreshLog();
    } catch (e) {
      console.warn(e);
    }
  }, 200);
}

async function loadActions() {
  const actions = await getJson("/api/actions");
  const select = $("#command-action");
  select.replaceChildren(...actions.map((a) => new Option(`${a.name} (${a.profile})`, a.name)));
  const examples = Object.fromEntries(actions.map((a) => [a.name, a.example]));
  select.addEventListener("change", () => { $("#command-payload").value = examples[select.value] ?? "{}"; });
  select.value = "RemoteStartTransaction";
  $("#command-payload").value = examples[select.value];
}

$("#command").addEventListener("submit", async (event) => {
  event.preventDefault();
  const id = $("#command-chargepoint").value;
  const action = $("#command-action").value;
  const result = $("#command-result");
  result.textContent = `${action} \u2192 ${id} \u2026`;
  const response = await fetch(`/api/chargepoints/${encodeURIComponent(id)}/commands/${action}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: $("#command-payload").value,
  });
  result.dataset.status = response.status;
  result.textContent = `${response.status} ${await response.text()}`;
  refreshSoon();
});
$("#log-chargepoint").addEventListener("change", refreshLog);

function connect() {
  const events = new EventSource("/api/events");
  events.onopen = () => { $("#live").textContent = "live"; $("#live").className = "live on"; refreshSoon(); };
  events.onerror = () => { $("#live").textContent = "offline"; $("#live").className = "live off"; };
  for (const type of ["connected", "disconnected", "boot", "status", "transaction", "meter", "log"]) {
    events.addEventListener(type, refreshSoon);
  }
}

loadActions().then(refreshSoon);
connect();
