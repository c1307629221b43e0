namespace OtelLab.AppHost.LabPage;

/// <summary>The dashboard's one page: inline CSS and script drawing SVG charts from the JSON endpoints (no CDN, works offline).</summary>
internal static class LabPage
{
    public const string Html = """
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>OTel Lab dashboard</title>
<style>
body{font-family:system-ui,sans-serif;margin:0;color:#111;background:#f6f7f9}
header{background:#1e293b;color:#fff;padding:10px 20px}header b{font-size:18px}
main{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:14px;padding:14px}
section{background:#fff;border:1px solid #e2e8f0;border-radius:6px;padding:10px}
h2{font-size:15px;margin:0 0 8px}table{border-collapse:collapse;width:100%;font-size:12px}
td,th{border-bottom:1px solid #eee;padding:3px 6px;text-align:left}tr.sel{background:#e0f2fe}
.Running,.ready{color:#15803d}.Failed,.Blocked,.notready{color:#b91c1c}.Waiting,.Starting,.NotStarted{color:#b45309}
pre{background:#0f172a;color:#e2e8f0;padding:8px;max-height:260px;overflow:auto;font-size:11px;white-space:pre-wrap}
.finding{border-left:4px solid #999;margin:6px 0;padding:4px 8px;background:#fafafa;font-size:12px}
.finding.error{border-color:#dc2626}.finding.warning{border-color:#d97706}.loc{font-family:monospace;color:#555}
.nodata{color:#888;font-size:12px}svg text{font-size:11px}.wide{grid-column:1/-1}
</style></head>
<body>
<header><b>OTel Lab</b> — scenario <span id="scenario">…</span> · <span id="startup">starting…</span></header>
<main>
<section><h2>Resources</h2><table id="resources"><thead><tr><th>resource</th><th>kind</th><th>state</th><th>reason</th></tr></thead><tbody></tbody></table></section>
<section><h2>Pods</h2><table id="pods"><thead><tr><th>pod</th><th>node</th><th>ip</th><th>status</th></tr></thead><tbody></tbody></table></section>
<section><h2>Logs <span id="logs-of" class="nodata">(click a resource or pod)</span></h2><pre id="logs"></pre></section>
<section><h2>Targets per replica</h2><div id="shards"></div><div id="shard-detail"></div></section>
<section><h2>Spans/s over time</h2><div id="spans"></div></section>
<section><h2>Keep rates</h2><div id="keep"></div></section>
<section><h2>Spans per tier · send failures</h2><table id="tiers"><thead><tr><th>tier</th><th>in/s</th><th>out/s</th><th>send failed</th></tr></thead><tbody></tbody></table></section>
<section><h2>Backend parity (spans per service)</h2><div id="parity"></div><div id="backends"></div></section>
<section class="wide"><h2>Findings <span id="finding-count"></span></h2><div id="findings"></div></section>
</main>
<script>
"use strict";
const NS = "http://www.w3.org/2000/svg";
let selected = null;
function el(tag, attrs, text) { const e = document.createElement(tag); for (const k in attrs || {}) e.setAttribute(k, attrs[k]); if (text !== undefined) e.textContent = text; return e; }
function svg(tag, attrs, text) { const e = document.createElementNS(NS, tag); for (const k in attrs || {}) e.setAttribute(k, attrs[k]); if (text !== undefined) e.textContent = text; return e; }
function nodata(box, why) { box.replaceChildren(el("div", { class: "nodata" }, "no data" + (why ? " — " + why : ""))); }
function bars(box, rows, color, fmt) {
  if (!rows.length) { nodata(box); return; }
  const max = Math.max(1e-9, ...rows.map(r => r[1])), h = 22 * rows.length + 6, s = svg("svg", { width: 520, height: h, role: "img" });
  rows.forEach((r, i) => { const w = Math.max(r[1] > 0 ? 2 : 0, r[1] / max * 300), y = 4 + i * 22;
    s.append(svg("text", { x: 0, y: y + 13 }, r[0]), svg("rect", { x: 170, y: y + 2, width: w, height: 15, fill: r[2] || color }), svg("text", { x: 176 + w, y: y + 13 }, fmt ? fmt(r[1]) : String(r[1]))); });
  box.replaceChildren(s);
}
function lines(box, history) {
  const names = [...new Set(history.flatMap(p => Object.keys(p.series)))];
  if (!history.length || !names.length) { nodata(box); return; }
  const W = 520, H = 180, max = Math.max(1, ...history.flatMap(p => Object.values(p.series))), colors = ["#2563eb", "#7c3aed", "#059669", "#d97706", "#dc2626"];
  const s = svg("svg", { width: W, height: H + 20 * Math.ceil(names.length / 2), role: "img" });
  s.append(svg("line", { x1: 40, y1: H, x2: W, y2: H, stroke: "#999" }), svg("text", { x: 0, y: 12 }, max.toFixed(1)), svg("text", { x: 0, y: H }, "0"));
  names.forEach((n, j) => {
    const pts = history.map((p, i) => `${40 + i * (W - 40) / Math.max(1, history.length - 1)},${H - (p.series[n] || 0) / max * (H - 10)}`).join(" ");
    s.append(svg("polyline", { points: pts, fill: "none", stroke: colors[j % colors.length], "stroke-width": 2 }));
    s.append(svg("text", { x: 40 + (j % 2) * 240, y: H + 16 + 20 * Math.floor(j / 2), fill: colors[j % colors.length] }, n));
  });
  box.replaceChildren(s);
}
async function json(path) { const r = await fetch(path); return r.json(); }
async function showLogs(name) {
  selected = name; document.getElementById("logs-of").textContent = name;
  const data = await json("/api/logs/" + name);
  document.getElementById("logs").textContent = (data.lines || [data.error]).join("\n");
}
function row(cells, cls, name) { const tr = el("tr", name === selected ? { class: "sel" } : {}); cells.forEach((c, i) => tr.append(el("td", i === 2 && cls ? { class: cls } : {}, c))); tr.onclick = () => showLogs(name); tr.style.cursor = "pointer"; return tr; }
async function refresh() {
  try {
    const res = await json("/api/resources");
    document.getElementById("scenario").textContent = res.scenario;
    document.getElementById("startup").textContent = res.startupSeconds == null ? "starting…" : `ready in ${res.startupSeconds.toFixed(2)} s`;
    document.querySelector("#resources tbody").replaceChildren(...res.resources.map(r => row([r.name, r.kind, r.state, r.reason || ""], r.state, r.name)));
    // The target farm's hundreds of pods fold into one row; the pipeline's own pods stay listed one by one.
    const farm = res.pods.filter(p => p.namespace === "farm"), farmReady = farm.filter(p => p.ready).length;
    const podRows = res.pods.filter(p => p.namespace !== "farm").map(p => row([p.namespace + "/" + p.name, p.node, p.ip, p.ready ? "Ready" : p.status], p.ready ? "ready" : "notready", p.namespace + "/" + p.name));
    if (farm.length > 0) { podRows.push(row([`farm/* (target farm, ${farm.length} pods)`, "all nodes", "", `${farmReady}/${farm.length} Ready`], farmReady === farm.length ? "ready" : "notready", "farm")); }
    document.querySelector("#pods tbody").replaceChildren(...podRows);
    const shards = (await json("/api/shards")).shards;
    if (shards.length) bars(document.getElementById("shards"), shards.map(x => [x.replica, x.targets])); else nodata(document.getElementById("shards"), "no Target Allocator runtime plugged in");
    document.getElementById("shard-detail").replaceChildren(...shards.map(x => el("div", { class: "nodata" }, `${x.replica}: ${x.targets} targets, ${x.series} series, last scrape ${x.lastScrape ? new Date(x.lastScrape).toLocaleTimeString() : "-"}`)));
    const pipe = await json("/api/pipeline");
    lines(document.getElementById("spans"), pipe.history);
    if (pipe.keepRates.length) bars(document.getElementById("keep"), pipe.keepRates.map(k => [`${k.class} (${k.kept}/${k.traces})`, k.rate * 100]), "#059669", v => v.toFixed(1) + " %"); else nodata(document.getElementById("keep"), "no collector runtime plugged in");
    document.querySelector("#tiers tbody").replaceChildren(...pipe.tiers.map(t => { const tr = el("tr"); [t.tier, t.receivedPerSecond.toFixed(1), t.sentPerSecond.toFixed(1), String(t.sendFailed)].forEach((c, i) => tr.append(el("td", i === 3 && t.sendFailed > 0 ? { class: "Failed" } : {}, c))); return tr; }));
    const be = await json("/api/backends");
    const services = [...new Set(Object.values(be.services).flatMap(s => Object.keys(s)))].sort();
    const rows = services.flatMap(s => Object.keys(be.services).map(b => [`${s} @ ${b}`, (be.services[b][s] || { spans: 0 }).spans, b === "dynatrace" ? "#7c3aed" : "#f59e0b"]));
    if (rows.length) bars(document.getElementById("parity"), rows); else nodata(document.getElementById("parity"), "no spans received yet");
    document.getElementById("backends").replaceChildren(...be.backends.map(b => el("div", { class: "nodata" }, `${b.backend}: ${b.acceptedSpans} spans, ${b.acceptedMetricPoints} points, ${b.ingestPerSecond.toFixed(1)}/s, rejected ${b.rejectedItems} items / ${b.rejectedRequests} requests`)));
    const f = (await json("/api/findings")).findings;
    document.getElementById("finding-count").textContent = `(${f.length})`;
    document.getElementById("findings").replaceChildren(...f.map(x => { const d = el("div", { class: "finding " + x.severity });
      d.append(el("div", {}, `${x.severity} ${x.ruleId} — ${x.object}`), el("div", { class: "loc" }, `${x.file}:${x.line}`), el("div", {}, x.message));
      x.evidence.forEach(e => d.append(el("div", {}, "evidence: " + e))); d.append(el("div", {}, "fix: " + x.fix)); return d; }));
    if (selected) showLogs(selected);
  } catch (e) { document.getElementById("startup").textContent = "lab stopped (" + e + ")"; }
}
refresh(); setInterval(refresh, 2000);
</script>
</body></html>
""";
}
