// jobpulse dashboard: reads the filters from the URL (every view can be
// shared), asks the API, draws the charts with ECharts and writes a
// one-line reading under each. Korean first; ?lang=en for English.
"use strict";

const params = new URLSearchParams(location.search);
const lang = params.get("lang") === "en" ? "en" : "ko";
const locale = lang === "en" ? "en-US" : "ko-KR";
// The page's facts, asked for before anything else (index.html preloads
// them while ECharts loads).
const metaAnswer = get("api/meta");

const T = {
  ko: {
    all: "전체 시장", other: "그 밖의 직무", data_engineer: "데이터 엔지니어", data_analyst: "데이터 분석가",
    data_scientist: "데이터 사이언티스트", ml_engineer: "ML 엔지니어", anyProvince: "전국", anyIndustry: "모든 산업",
    day: "일", week: "주", month: "월", postings: "신규 공고", share: "시장 점유율", open: "게시 중 공고",
    entryCount: "신입 가능 공고", entryShare: "신입 비중", coverage: "월별 공고 수",
    loaded: (s, t) => `${s} 최종 적재: ${t}`, never: "아직 없음",
    sources: { saramin: "채용 공고", trends: "검색 관심도", cert: "자격증 통계" },
    noData: "이 조건에 맞는 공고가 없습니다.",
    volume: (role, n, from, to, share, change) => `${from}부터 ${to}까지 ${role} 신규 공고는 ${n}건으로, 같은 조건의 전체 공고 중 ${share}입니다.` + (change === null ? "" : ` 마지막 ${4}개 구간은 그 전 ${4}개 구간보다 ${change}.`),
    more: p => `${p} 늘었습니다`, less: p => `${p} 줄었습니다`, same: "거의 같습니다",
    entry: (role, pct, n) => `${role} 공고 중 신입이 지원할 수 있는 공고는 ${pct}(${n}건)입니다.`,
    top: (dim, name, share, n) => `${dim} 중에서는 ${name}이(가) ${share}(${n}건)로 가장 많습니다.`,
    regions: "지역", industries: "산업",
    cover: (first, last, months, top, pct) => `웨어하우스에는 ${first}부터 ${last}까지 ${months}개월의 공고가 있습니다. 가장 많은 달(${top})이 전체의 ${pct}를 차지합니다.`,
    title: "데이터 직무 채용 시장",
    defaultKeyword: "직무에 맞는 검색어", defaultExam: "직무에 맞는 자격증",
    districts: "시·군·구", details: "세부 업종", askShare: "요구 비율",
    skillTop: (role, k, p) => `${role} 공고가 가장 많이 요구하는 기술은 ${k}(공고의 ${p})입니다.`,
    skillRise: (k, pts) => ` 직전 같은 기간보다 ${k}의 비율이 가장 많이 늘었습니다(${pts}%p).`,
    interest: k => `검색 관심도: ${k}`, applicants: e => `${e} 응시자(연)`, passers: e => `${e} 합격자(연)`,
    forecast: "전망", band: "95% 범위",
    lagLead: (k, w, r, n) => `주간 변화로 보면 '${k}' 검색 관심도가 공고보다 ${w}주 앞서 움직입니다(r=${r}, ${n}주 비교).`,
    lagFollow: (k, w, r, n) => `주간 변화로 보면 공고가 '${k}' 검색 관심도보다 ${w}주 앞서 움직입니다(r=${r}, ${n}주 비교).`,
    lagSame: (k, r, n) => `주간 변화로 보면 '${k}' 검색 관심도와 공고는 같은 주에 함께 움직입니다(r=${r}, ${n}주 비교).`,
    weak: "다만 이 정도 상관은 우연으로도 나올 수 있어(p≥0.05) 의미를 두기 어렵습니다.",
    noLag: "겹치는 기간이 20주보다 짧아 상관을 구하지 않았습니다.",
    apart: "8주 안의 어떤 시차에서도 두 지표의 주간 변화가 함께 움직이지 않습니다.",
    certNote: (e, n) => `${e} 통계는 연 단위로 ${n}개 연도뿐이라, 주 단위 지표와의 상관은 구하지 않습니다.`,
    outlook: (mid, lo, hi, slope) => `최근 추세대로라면 앞으로 8주 동안 주당 약 ${mid}건(95% 범위 ${lo}–${hi}건)이 예상됩니다(추세: 주당 ${slope}건).`,
    short: n => `기록이 ${n}주뿐이라 이 전망은 믿기 어렵습니다.`,
    urlProblems: "주소(URL)의 조건 중 이 페이지가 쓸 수 없는 것이 있어, 그 조건은 쓰지 않고 기본값을 보여 줍니다.",
    badValue: (label, kv, shown) => `${label}(${kv}): 쓸 수 없는 값입니다. 대신 보여 주는 값: ${shown}.`,
    unknownParam: kv => `${kv}: 이 페이지가 모르는 조건이라 쓰지 않았습니다.`,
    serverSays: m => ` 서버의 설명: ${m}`,
    cannotDraw: "이 조건으로는 차트를 그릴 수 없습니다.",
    noMeta: "데이터를 읽지 못해 화면을 그릴 수 없습니다.",
    entryShort: "신입 가능", anyEntry: "경력 조건 없이 모든 공고",
  },
  en: {
    all: "Whole market", other: "Other roles", data_engineer: "Data engineer", data_analyst: "Data analyst",
    data_scientist: "Data scientist", ml_engineer: "ML engineer", anyProvince: "All provinces", anyIndustry: "All industries",
    day: "Day", week: "Week", month: "Month", postings: "New postings", share: "Share of market", open: "Open postings",
    entryCount: "Open to newcomers", entryShare: "Newcomer share", coverage: "Postings per month",
    loaded: (s, t) => `${s} last loaded: ${t}`, never: "not yet",
    sources: { saramin: "Postings", trends: "Search interest", cert: "Certifications" },
    noData: "No posting matches these filters.",
    volume: (role, n, from, to, share, change) => `From ${from} to ${to}, ${role}: ${n} new postings, ${share} of all postings under the same filters.` + (change === null ? "" : ` The last 4 periods ${change} against the 4 before.`),
    more: p => `rose ${p}`, less: p => `fell ${p}`, same: "held steady",
    entry: (role, pct, n) => `Of ${role} postings, ${pct} (${n}) are open to newcomers.`,
    top: (dim, name, share, n) => `By ${dim}, ${name} leads with ${share} (${n}).`,
    regions: "province", industries: "industry",
    cover: (first, last, months, top, pct) => `The warehouse holds postings from ${first} to ${last}, ${months} ${months === "1" ? "month" : "months"}; the largest month (${top}) holds ${pct} of them.`,
    title: "The data-job market",
    defaultKeyword: "Keyword for the role", defaultExam: "Exam for the role",
    districts: "district", details: "industry detail", askShare: "Share asking",
    skillTop: (role, k, p) => `The skill ${role} postings ask for most is ${k} (${p} of them).`,
    skillRise: (k, pts) => ` Against the period before, ${k} rose the most (${pts} points).`,
    interest: k => `Search interest: ${k}`, applicants: e => `${e} applicants (yearly)`, passers: e => `${e} passers (yearly)`,
    forecast: "Outlook", band: "95% band",
    lagLead: (k, w, r, n) => `Week to week, search interest in '${k}' moves ${w} weeks ahead of postings (r=${r} over ${n} weeks).`,
    lagFollow: (k, w, r, n) => `Week to week, postings move ${w} weeks ahead of search interest in '${k}' (r=${r} over ${n} weeks).`,
    lagSame: (k, r, n) => `Week to week, search interest in '${k}' and postings move together in the same week (r=${r} over ${n} weeks).`,
    weak: "A correlation this size can arise by chance (p≥0.05): read little into it.",
    noLag: "Fewer than 20 weeks overlap: no correlation computed.",
    apart: "At no lag within 8 weeks do the two move together week to week.",
    certNote: (e, n) => `${e} statistics are yearly, ${n} years only: not correlated with the weekly indicators.`,
    outlook: (mid, lo, hi, slope) => `If the recent trend holds, about ${mid} postings a week over the next 8 weeks (95% band ${lo}–${hi}; trend ${slope} a week).`,
    short: n => `The history is only ${n} weeks long: do not trust this outlook.`,
    urlProblems: "The URL holds a filter this page cannot use: it is set aside and the default shown instead.",
    badValue: (label, kv, shown) => `${label} (${kv}): not a value this page can use. Shown instead: ${shown}.`,
    unknownParam: kv => `${kv}: not a filter this page knows; set aside.`,
    serverSays: m => ` The server says: ${m}`,
    cannotDraw: "The charts cannot be drawn for these filters.",
    noMeta: "The data could not be read, so the page cannot be drawn.",
    entryShort: "newcomers", anyEntry: "all postings, any experience",
  },
}[lang];

const LABELS_EN = {
  title: "The data-job market", subtitle: "Where the data engineer, analyst and scientist jobs are, and how many",
  synthetic: "This page shows the emulator's synthetic sample, not the real job market.",
  role: "Role", entry: "Newcomers only", province: "Province", industry: "Industry", grain: "Period",
  from: "From", to: "To", filters: "Filters", volumeTitle: "Hiring over time", entryTitle: "Open to newcomers", regionTitle: "By province",
  industryTitle: "By industry", coverageTitle: "How much history the warehouse holds",
  skillsTitle: "Skills most asked for", keyword: "Keyword", exam: "Exam",
  indicatorsTitle: "Postings, search interest and certifications on one time axis",
  footer: "Source: Saramin Open API postings, collected and loaded by jobpulse. Roles follow jobpulse's classification rules.",
};

const num = n => new Intl.NumberFormat(locale).format(n);
const pct = x => new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 }).format(x);
const date = s => new Intl.DateTimeFormat(locale, { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" }).format(new Date(s + "T00:00:00Z"));
const stamp = s => new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: "Asia/Seoul" }).format(new Date(s));
const roleName = r => T[r] || r;

const charts = {};
// chart is the chart drawn in the element id; it follows the element's
// size (a window resized, a phone turned).
function chart(id) {
  if (!charts[id]) {
    const el = document.getElementById(id), c = echarts.init(el, null, { renderer: "svg" });
    let w = el.clientWidth, h = el.clientHeight;
    new ResizeObserver(() => {
      if (el.clientWidth === w && el.clientHeight === h) return;
      w = el.clientWidth;
      h = el.clientHeight;
      c.resize();
    }).observe(el);
    charts[id] = c;
  }
  return charts[id];
}

function setText(id, text) { document.getElementById(id).textContent = text; }

// showError shows what went wrong in the banner: the page's words, then
// the server's when the server refused (else the error's own).
function showError(lead, e) {
  const err = document.getElementById("error");
  err.textContent = lead + (e.fromServer ? T.serverSays(e.message) : " " + e.message);
  err.hidden = false;
}

async function get(path, q) {
  const r = await fetch(path + (q ? "?" + q : ""));
  const body = await r.json();
  if (!r.ok) throw Object.assign(new Error(body.error || r.statusText), { fromServer: true });
  return body;
}

// fill lists values as a select's options. The values (industries,
// exams …) come from the APIs: like every text the page shows, they go in
// as text (new Option, textContent, ECharts' options), never as HTML.
function fill(select, values, label, anyLabel) {
  select.replaceChildren();
  if (anyLabel !== undefined) select.add(new Option(anyLabel, ""));
  for (const v of values) select.add(new Option(label(v), v));
}

// state is the filters, as in the URL.
function state() {
  const f = document.getElementById("filters");
  const q = new URLSearchParams();
  for (const name of ["role", "province", "industry", "grain", "from", "to", "keyword", "exam"]) {
    const v = f.elements[name].value;
    if (v) q.set(name, v);
  }
  if (f.elements.entry.checked) q.set("entry", "1");
  return q;
}

// drawing counts the draws, so that an answer to an older one is not drawn
// over a newer one.
let drawing = 0;

async function draw() {
  const gen = ++drawing;
  const q = state();
  const shown = new URLSearchParams(q);
  if (lang === "en") shown.set("lang", "en");
  history.replaceState(null, "", "?" + shown.toString());
  // The other language keeps the view.
  const other = new URLSearchParams(q);
  if (lang === "ko") other.set("lang", "en");
  document.getElementById("lang").href = "?" + other.toString();
  summarize();
  document.getElementById("error").hidden = true;
  const views = without(q, "keyword", "exam");
  // Every request at once; each chart draws as soon as its answer is in.
  const jobs = [
    [get("api/volume", views), vol => { drawVolume(vol); drawEntry(vol); }],
    // With a province chosen, its districts; with an industry, its details.
    [get("api/breakdown", "by=" + (q.get("province") ? "district" : "province") + "&" + without(q, "grain", "keyword", "exam")),
      prov => drawBreakdown("province-chart", "province-reading", prov, q.get("province") ? T.districts : T.regions)],
    [get("api/breakdown", "by=" + (q.get("industry") ? "industry_detail" : "industry") + "&" + without(q, "grain", "keyword", "exam")),
      ind => drawBreakdown("industry-chart", "industry-reading", ind, q.get("industry") ? T.details : T.industries)],
    [get("api/indicators", without(q, "grain", "from", "entry", "province", "industry", "keyword", "exam") + keywordExam(q)), drawIndicators],
    [get("api/skills", without(q, "grain", "entry", "province", "industry", "keyword", "exam")), drawSkills],
  ];
  const done = await Promise.allSettled(jobs.map(([answer, drawIt]) => answer.then(v => { if (gen === drawing) drawIt(v); })));
  const failed = done.find(r => r.status === "rejected");
  if (failed && gen === drawing) showError(T.cannotDraw, failed.reason);
}

// summarize writes what the filters hold beside their fold (shown on
// narrow screens, where the filters fold away).
function summarize() {
  const f = document.getElementById("filters").elements, chosen = s => s.selectedIndex >= 0 ? s.selectedOptions[0].textContent : "";
  const parts = [chosen(f.role)];
  if (f.province.value) parts.push(chosen(f.province));
  if (f.industry.value) parts.push(chosen(f.industry));
  if (f.entry.checked) parts.push(T.entryShort);
  parts.push(chosen(f.grain), `${f.from.value} – ${f.to.value}`);
  setText("filter-summary", parts.filter(Boolean).join(" · "));
}

function without(q, ...keys) {
  const c = new URLSearchParams(q);
  for (const k of keys) c.delete(k);
  return c.toString();
}

function keywordExam(q) {
  let s = "";
  for (const k of ["keyword", "exam"]) if (q.get(k)) s += `&${k}=${encodeURIComponent(q.get(k))}`;
  return s;
}

function drawSkills(v) {
  const rows = v.skills.slice().reverse(), el = document.getElementById("skills");
  chart("skills").setOption({
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } }, grid: { left: 120, right: 24 },
    xAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } }, yAxis: { type: "category", data: rows.map(r => r.name) },
    series: [{ name: T.askShare, type: "bar", data: rows.map(r => +(r.share * 100).toFixed(1)) }],
  }, true);
  const top = v.skills[0];
  let reading = top ? T.skillTop(roleName(v.filter.role), top.name, pct(top.share)) : T.noData;
  const risers = v.skills.filter(k => k.before !== null).map(k => ({ ...k, d: k.share - k.before })).sort((a, b) => b.d - a.d);
  if (risers.length && risers[0].d > 0.005) reading += T.skillRise(risers[0].name, "+" + (risers[0].d * 100).toFixed(1));
  setText("skills-reading", reading);
  el.dataset.ready = "1";
}

function addWeeks(day, n) {
  const d = new Date(day + "T00:00:00Z");
  d.setUTCDate(d.getUTCDate() + 7 * n);
  return d.toISOString().slice(0, 10);
}

function drawIndicators(v) {
  const x = v.indicators, el = document.getElementById("indicators");
  const postings = x.weeks.map(w => [w.week, w.postings]);
  const interest = x.weeks.filter(w => w.interest !== null).map(w => [w.week, w.interest]);
  const applicants = x.years.map(y => [`${y.year}-07-01`, y.applicants]);
  const passers = x.years.map(y => [`${y.year}-07-01`, y.passers]);
  const out = x.outlook.points.map(p => ({ day: addWeeks(x.complete, p.ahead), ...p }));
  chart("indicators").setOption({
    tooltip: { trigger: "axis" }, legend: { type: "scroll" }, grid: { left: 56, right: 120 },
    xAxis: { type: "time" },
    yAxis: [
      { type: "value", name: T.postings },
      { type: "value", name: "", position: "right" },
      { type: "value", name: "", position: "right", offset: 60 },
    ],
    series: [
      { name: T.postings, type: "bar", data: postings },
      { name: T.interest(x.keyword), type: "line", yAxisIndex: 1, showSymbol: false, data: interest },
      { name: T.applicants(x.exam), type: "line", yAxisIndex: 2, data: applicants },
      { name: T.passers(x.exam), type: "line", yAxisIndex: 2, data: passers },
      { name: T.forecast, type: "line", lineStyle: { type: "dashed" }, data: out.map(p => [p.day, +p.mid.toFixed(1)]) },
      { name: T.band, type: "line", stack: "band", symbol: "none", lineStyle: { opacity: 0 }, data: out.map(p => [p.day, +p.lo.toFixed(1)]) },
      { name: T.band, type: "line", stack: "band", symbol: "none", lineStyle: { opacity: 0 }, areaStyle: { opacity: 0.2 }, data: out.map(p => [p.day, +(p.hi - p.lo).toFixed(1)]) },
    ],
  }, true);
  const s = x.strongest, n = x.correlations.length;
  let reading = n ? T.apart : T.noLag;
  if (n && s.n && s.r > 0) {
    const r = s.r.toFixed(2);
    reading = s.weeks > 0 ? T.lagLead(x.keyword, s.weeks, r, s.n) : s.weeks < 0 ? T.lagFollow(x.keyword, -s.weeks, r, s.n) : T.lagSame(x.keyword, r, s.n);
    if (!s.significant) reading += " " + T.weak;
  }
  reading += " " + T.certNote(x.exam, x.years.length);
  setText("indicators-reading", reading);
  let outlook = "";
  if (out.length) {
    const avg = k => out.reduce((a, p) => a + p[k], 0) / out.length;
    outlook = T.outlook(num(Math.round(avg("mid"))), num(Math.round(avg("lo"))), num(Math.round(avg("hi"))), (x.outlook.slope >= 0 ? "+" : "") + x.outlook.slope.toFixed(1));
  }
  if (x.outlook.too_short) outlook += " " + T.short(x.outlook.basis);
  setText("outlook-reading", outlook.trim());
  el.dataset.weeks = String(x.weeks.length);
  el.dataset.ready = "1";
}

function drawVolume(vol) {
  const pts = vol.points, f = vol.filter, el = document.getElementById("volume");
  const total = pts.reduce((a, p) => a + p.postings, 0), market = pts.reduce((a, p) => a + p.market, 0);
  // A period the dates cut is drawn faded and left out of the comparison.
  const series = [{ name: T.postings, type: "bar", data: pts.map(p => ({ value: p.postings, itemStyle: p.partial ? { opacity: 0.35 } : {} })) }];
  if (f.role !== "all") {
    // The whole market's share of itself says nothing.
    series.push({ name: T.share, type: "line", yAxisIndex: 1, data: pts.map(p => +(p.share * 100).toFixed(2)) });
  }
  if (pts.some(p => p.open !== undefined && p.open !== null)) {
    series.push({ name: T.open, type: "line", data: pts.map(p => p.open ?? null) });
  }
  chart("volume").setOption({
    tooltip: { trigger: "axis" }, legend: {}, grid: { left: 56, right: 56 },
    xAxis: { type: "category", data: pts.map(p => p.date) },
    yAxis: [{ type: "value" }, { type: "value", axisLabel: { formatter: "{value}%" } }],
    series,
  }, true);
  el.dataset.total = String(total);
  el.dataset.points = String(pts.length);
  if (!pts.length || total === 0) { setText("volume-reading", T.noData); el.dataset.ready = "1"; return; }
  let change = null;
  const whole = pts.filter(p => !p.partial);
  if (whole.length >= 8) {
    const last = whole.slice(-4).reduce((a, p) => a + p.postings, 0), before = whole.slice(-8, -4).reduce((a, p) => a + p.postings, 0);
    if (before > 0) {
      const r = last / before - 1;
      change = Math.abs(r) < 0.02 ? T.same : (r > 0 ? T.more(pct(r)) : T.less(pct(-r)));
    }
  }
  setText("volume-reading", T.volume(roleName(f.role), num(total), date(f.from), date(f.to), pct(market ? total / market : 0), change));
  el.dataset.ready = "1";
}

function drawEntry(vol) {
  const pts = vol.points, el = document.getElementById("entry-chart");
  const total = pts.reduce((a, p) => a + p.postings, 0), entry = pts.reduce((a, p) => a + p.entry, 0);
  chart("entry-chart").setOption({
    tooltip: { trigger: "axis" }, legend: {}, grid: { left: 56, right: 56 },
    xAxis: { type: "category", data: pts.map(p => p.date) },
    yAxis: [{ type: "value" }, { type: "value", max: 100, axisLabel: { formatter: "{value}%" } }],
    series: [
      { name: T.entryCount, type: "bar", data: pts.map(p => ({ value: p.entry, itemStyle: p.partial ? { opacity: 0.35 } : {} })) },
      { name: T.entryShare, type: "line", yAxisIndex: 1, data: pts.map(p => +(p.entry_pct * 100).toFixed(1)) },
    ],
  }, true);
  el.dataset.total = String(entry);
  setText("entry-reading", total ? T.entry(roleName(vol.filter.role), pct(entry / total), num(entry)) : T.noData);
  el.dataset.ready = "1";
}

function drawBreakdown(id, readingId, b, dim) {
  const rows = b.rows.slice(0, 15).reverse(), el = document.getElementById(id);
  chart(id).setOption({
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } }, grid: { left: 140, right: 24 },
    xAxis: { type: "value" }, yAxis: { type: "category", data: rows.map(r => r.name) },
    series: [{ name: T.postings, type: "bar", data: rows.map(r => r.postings) }],
  }, true);
  el.dataset.total = String(b.rows.reduce((a, r) => a + r.postings, 0));
  const top = b.rows[0];
  setText(readingId, top ? T.top(dim, top.name, pct(top.share), num(top.postings)) : T.noData);
  el.dataset.ready = "1";
}

function drawCoverage(meta) {
  const rows = meta.coverage, el = document.getElementById("coverage");
  chart("coverage").setOption({
    tooltip: { trigger: "axis" }, grid: { left: 56, right: 24 },
    xAxis: { type: "category", data: rows.map(r => r.name) }, yAxis: { type: "value" },
    series: [{ name: T.coverage, type: "bar", data: rows.map(r => r.postings) }],
  }, true);
  if (rows.length) {
    const top = rows.reduce((a, r) => (r.postings > a.postings ? r : a));
    setText("coverage-reading", T.cover(date(meta.first), date(meta.last), num(rows.length), top.name, pct(top.share)));
  }
  el.dataset.ready = "1";
}

async function main() {
  if (lang === "en") {
    document.documentElement.lang = "en";
    for (const el of document.querySelectorAll("[data-t]")) {
      if (LABELS_EN[el.dataset.t]) el.textContent = LABELS_EN[el.dataset.t];
    }
    const l = document.getElementById("lang");
    l.textContent = "한국어";
    document.title = "jobpulse · " + T.title;
  }
  // Wide screens show the filters; narrow ones fold them away.
  const box = document.getElementById("filter-box"), wide = matchMedia("(min-width: 721px)");
  box.open = wide.matches;
  wide.addEventListener("change", e => { if (e.matches) box.open = true; });
  let meta;
  try {
    meta = await metaAnswer;
  } catch (e) {
    showError(T.noMeta, e);
    return;
  }
  document.getElementById("synthetic").hidden = !meta.synthetic;
  setText("freshness", ["saramin", "trends", "cert"].map(s => T.loaded(T.sources[s], meta.loaded[s] ? stamp(meta.loaded[s]) : T.never)).join(" · "));
  const f = document.getElementById("filters");
  fill(f.elements.role, ["all", ...meta.roles.filter(r => r !== "other"), "other"].filter(r => r === "all" || meta.roles.includes(r)), roleName);
  fill(f.elements.province, meta.provinces, v => v, T.anyProvince);
  fill(f.elements.industry, meta.industries, v => v, T.anyIndustry);
  fill(f.elements.grain, ["day", "week", "month"], g => T[g]);
  fill(f.elements.keyword, meta.keywords, v => v, T.defaultKeyword);
  fill(f.elements.exam, meta.exams, v => v, T.defaultExam);
  f.elements.grain.value = "week";
  const rejected = fromURL(f);
  // Without a role, the page opens on a data role rather than the whole
  // market.
  if (!params.get("role") || rejected.some(r => r.name === "role")) f.elements.role.value = defaultRole(meta.roles);
  if (!f.elements.to.value && meta.last) f.elements.to.value = meta.last;
  if (!f.elements.from.value && meta.last) {
    const d = new Date(meta.last + "T00:00:00Z");
    d.setUTCDate(d.getUTCDate() - 180);
    f.elements.from.value = d.toISOString().slice(0, 10);
  }
  f.addEventListener("change", () => {
    // The URL no longer holds what the banner speaks of.
    document.getElementById("url-problems").hidden = true;
    draw();
  });
  // The charts' requests go out before the coverage chart draws.
  const drawn = draw();
  drawCoverage(meta);
  await Promise.all([drawn, explain(rejected, f)]);
}

// filterNames are the filters the URL may hold, besides entry and lang.
const filterNames = ["role", "province", "industry", "grain", "from", "to", "keyword", "exam"];

// fromURL sets the filters the URL holds (they win over the defaults) and
// answers those the page cannot use: a value no option or date input
// takes, an entry other than 1 or 0, a filter the page does not know.
function fromURL(f) {
  const rejected = [];
  for (const [name, value] of params) {
    if (name === "lang" || value === "") continue;
    if (name === "entry") {
      if (["1", "true"].includes(value)) f.elements.entry.checked = true;
      else if (!["0", "false"].includes(value)) rejected.push({ name, value, known: true });
      continue;
    }
    if (!filterNames.includes(name)) {
      rejected.push({ name, value, known: false });
      continue;
    }
    const el = f.elements[name], before = el.value;
    el.value = value;
    if (el.value !== value) {
      el.value = before;
      rejected.push({ name, value, known: true });
    }
  }
  return rejected;
}

// defaultRole is the role the page opens on: data engineers, or the first
// data role the warehouse has.
function defaultRole(roles) {
  if (roles.includes("data_engineer")) return "data_engineer";
  return roles.find(r => r !== "other") ?? "all";
}

// explain says, in the banner above the filters, which of the URL's
// filters were set aside and what is shown instead, with the API's own
// words about each (it answers the same value with a 400 that says what
// is allowed).
async function explain(rejected, f) {
  if (!rejected.length) return;
  const lines = await Promise.all(rejected.map(async ({ name, value, known }) => {
    const kv = `${name}=${value}`;
    let server = "";
    try {
      await get(["keyword", "exam"].includes(name) ? "api/indicators" : "api/volume", new URLSearchParams([[name, value]]).toString());
    } catch (e) {
      if (e.fromServer) server = e.message;
    }
    let line = T.unknownParam(kv);
    if (known) {
      const el = f.elements[name], label = el.closest("label").querySelector("span").textContent;
      const shown = el.type === "checkbox" ? (el.checked ? T.entryShort : T.anyEntry) : el.selectedOptions ? el.selectedOptions[0]?.textContent : el.value;
      line = T.badValue(label, kv, shown || "—");
    }
    return line + (server ? T.serverSays(server) : "");
  }));
  const box = document.getElementById("url-problems"), list = document.createElement("ul");
  for (const line of lines) {
    const li = document.createElement("li");
    li.textContent = line;
    list.append(li);
  }
  box.replaceChildren(T.urlProblems, list);
  box.hidden = false;
}

main();
