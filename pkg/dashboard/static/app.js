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
    volume: (role, n, from, to, scope) => `${from}부터 ${to}까지 ${role} 신규 공고${scope ? `(${scope})` : ""}는 ${n}건입니다.`,
    ofMarket: share => ` 같은 조건의 전체 공고 중 ${share}입니다.`,
    entryOnly: "신입 가능",
    // Spans of periods: 4주, 4개월, 28일.
    span: (n, grain) => `${n}${{ day: "일", week: "주", month: "개월" }[grain]}`,
    compare: (last, before, change, days) => ` 마지막 ${josa(last, "을/를")} 그 전 ${josa(before, "과/와")} 비교하면 ${change}.` +
      (days ? " 두 기간 모두 요일마다 4일씩이라 요일 구성이 같습니다." : ""),
    more: p => `공고가 ${p} 늘었습니다`, less: p => `공고가 ${p} 줄었습니다`, same: "공고 수가 거의 같습니다",
    fromNone: (last, before, n) => ` 그 전 ${before}에는 공고가 없었고, 마지막 ${last}에는 ${n}건입니다.`,
    noWhole: " 온전한 기간이 없어 증감은 비교하지 않았습니다.",
    noCompare: (have, need) => ` 온전한 기간이 ${have}뿐이라 증감은 비교하지 않았습니다(${josa(need, "이/가")} 필요합니다).`,
    faded: reasons => ` 흐리게 그린 구간(${reasons.join(", ")})은 일부 날만 담고 있어 비교에서 뺐습니다.`,
    why: { dates: "고른 날짜에 잘림", coverage: "수집 기간의 처음이나 끝", unfinished: "아직 끝나지 않음" },
    gaps: (first, last) => ` 웨어하우스에는 ${first}부터 ${last}까지의 공고만 있어, 그 밖의 구간은 0이 아닌 빈칸으로 두었습니다.`,
    uncovered: (first, last) => `이 기간에는 웨어하우스에 공고가 없습니다. 웨어하우스는 ${first}부터 ${last}까지의 공고를 가지고 있습니다.`,
    openHidden: filters => `게시 중 공고 선은 숨겼습니다: 웨어하우스가 게시 중 공고를 직무별로만 세어 ${filters} 필터를 적용할 수 없습니다.`,
    filterNames: { entry: "신입 가능만", experience: "경력", province: "지역", industry: "산업" },
    entry: (role, pct, n) => `${role} 공고 중 신입이 지원할 수 있는 공고는 ${pct}(${n}건)입니다.`,
    entryAll: (role, n) => `'신입 가능만'을 골라 ${role} 공고 ${n}건이 모두 신입 가능이므로 비중은 100%입니다. 비중을 보려면 이 필터를 끄세요.`,
    top: (dim, name, share, n) => `${dim} 중에서는 ${josa(name, "이/가")} ${share}(${n}건)로 가장 많습니다.`,
    countAxis: "공고 수(건)", pctAxis: "비율(%)", partialTip: "일부 날만 담긴 구간", gapTip: "웨어하우스에 없는 구간",
    coverageNote: "이 차트는 필터와 관계없이 웨어하우스 전체의 월별 공고 수입니다. 고른 기간은 음영으로, 일부 날만 담긴 달은 흐리게 표시합니다.",
    regions: "지역", industries: "산업", anyExperience: "모든 경력",
    expTop: (level, share, n) => `경력 조건으로는 ${josa(level, "이/가")} ${share}(${n}건)로 가장 많습니다.`,
    expUnknown: n => ` 경력 조건을 알 수 없는 공고 ${n}건은 막대에 없습니다.`,
    cover: (first, last, months, top, pct) => `웨어하우스에는 ${first}부터 ${last}까지 ${months}개월의 공고가 있습니다. 가장 많은 달(${top})이 전체의 ${pct}를 차지합니다.`,
    title: "데이터 직무 채용 시장",
    defaultKeyword: "직무에 맞는 검색어", defaultExam: "직무에 맞는 자격증",
    districts: "시·군·구", details: "세부 업종", askShare: "요구 비율",
    skillTop: (role, n, k, p) => `${role} 공고 ${n}건 중 가장 많이 요구된 기술은 ${k}(공고의 ${p})입니다.`,
    skillTopIn: (role, n, cat, k, p) => `${role} 공고 ${n}건 중 ${cat} 분야에서 가장 많이 요구된 기술은 ${k}(공고의 ${p})입니다.`,
    skillRise: (k, pts) => ` 직전 같은 기간보다 ${k}의 비율이 가장 많이 늘었습니다(${pts}%p).`,
    noSkills: n => `이 조건의 공고 ${n}건 중 사전에 있는 데이터 기술을 요구한 공고가 없습니다.`,
    anyCategory: "모든 분야",
    interest: k => `검색 관심도: ${k}`, postingsFiltered: "신규 공고(필터 적용)",
    weekAxis: "주(월요일 시작)", postingsAxis: "신규 공고(건/주)", interestAxis: "검색 관심도(기준 검색어 평균=100)",
    forecast: "전망", band: "95% 범위",
    shown: (from, to, n) => `공고와 검색 관심도가 모두 있는 ${from}부터 ${to}까지 ${n}주를 그립니다.`,
    shownAll: (from, to, n) => `전체 기간을 그립니다. 비교는 둘 다 있는 ${from}부터 ${to}까지 ${n}주로만 합니다.`,
    noOverlap: k => `'${k}' 검색 관심도가 공고와 겹치는 주가 없어 비교하지 않습니다.`,
    lagLead: (k, w) => `주간 변화로 보면 '${k}' 검색 관심도가 공고보다 ${w}주 앞서 움직입니다`,
    lagFollow: (k, w) => `주간 변화로 보면 공고가 '${k}' 검색 관심도보다 ${w}주 앞서 움직입니다`,
    lagSame: k => `주간 변화로 보면 '${k}' 검색 관심도와 공고는 같은 주에 함께 움직입니다`,
    lagStat: (r, lo, hi, n) => `(r=${r}, 95% 구간 ${lo}~${hi}, ${n}주 비교)`,
    bestWas: (lag, stat, holds) => ` 마지막 기준 시점에서 가장 강한 시차는 '${lag}'${stat}이지만, ` + (holds ? "다른 기준 시점에서는 달랐습니다." : "구간이 0을 포함해 우연과 구별되지 않습니다."),
    stable: c => `최근 ${c}번의 주간 기준 시점(마지막 온전한 주에서 0–${c - 1}주를 뺀 것) 모두에서 같은 시차였고 구간이 0을 넘었습니다.`,
    noStable: (k, c) => `'${k}' 검색 관심도와 공고 사이에 아직 안정된 관계는 보이지 않습니다: 최근 ${c}번의 주간 기준 시점 모두에서 같은 시차가 0을 넘는 구간으로 나와야 관계로 읽습니다.`,
    lagsSeen: lags => ` 기준 시점별 가장 강한 시차: ${lags}.`,
    lagWeeks: w => w > 0 ? `관심도 ${w}주 앞섬` : w < 0 ? `공고 ${-w}주 앞섬` : "같은 주",
    noneSeen: "없음",
    lagShort: (n, min, c) => `공고와 검색 관심도가 겹치는 온전한 주가 ${n}주뿐입니다. 시차는 최근 ${c}번의 주간 기준 시점마다 ${min}주 이상 겹칠 때 읽습니다(최소 ${min + c - 1}주).`,
    intervalNote: l => ` 구간은 주 단위 블록 부트스트랩으로 구하고, 시차 ${l}개를 함께 본 것을 감안해 넓혔습니다.`,
    national: fs => ` 검색 관심도는 전국 값이라 ${fs} 조건은 공고에만 적용됩니다.`,
    filterNames: { entry: "신입", experience: "경력", province: "지역", industry: "산업" },
    outlook: (mid, lo, hi, slope) => `최근 추세대로라면 앞으로 8주 동안 주당 약 ${mid}건(95% 범위 ${lo}–${hi}건)이 예상됩니다(추세: 주당 ${slope}건).`,
    short: n => `기록이 ${n}주뿐이라 이 전망은 믿기 어렵습니다.`,
    stages: { "필기": "필기", "실기": "실기", "전체": "단일 시험" },
    applicants: "접수자", examinees: "응시자", passers: "합격자", passRate: "합격률",
    peopleAxis: "인원(명)", rateAxis: "합격률(%)", yearAxis: "연도", year: y => `${y}년`,
    certStage: (stage, a, e, p, r) => `${stage}: 접수자 ${a}, 응시자 ${e}, 합격자 ${p}(합격률 ${r})`,
    certYear: (exam, y, parts) => `${exam} ${y}년 ${parts}.`,
    unknown: "미공개", people: n => `${n}명`,
    certSource: (src, q) => ` 출처: ${src}` + (q ? " (공식 출처가 아닌 자료 포함)" : "") + ".",
    certSynthetic: " 이 수치는 에뮬레이터가 만든 합성 값입니다.",
    noCert: e => `${e}의 통계가 웨어하우스에 없습니다.`,
    regionTop: (name, n, total, share) => `조건에 맞는 공고 ${total}건 중 ${n}건(${share})이 ${name} 지역을 올려, 가장 많습니다.`,
    regionAll: (name, n) => `조건에 맞는 공고 ${n}건 모두 ${name} 지역을 올렸습니다.`,
    skillsProvinceNote: "지역을 고르면 기술은 공고가 처음 올린 지역으로 셉니다(다른 차트는 올린 지역마다 셉니다).",
    certFiltersNote: "자격증 통계는 전국·연 단위라 직무(시험 선택) 외의 필터와 기간은 적용되지 않습니다.",
    regionNote: n => `여러 지역을 올린 공고는 각 지역에 셉니다. 비율은 조건에 맞는 공고 ${n}건 대비라 합이 100%를 넘을 수 있습니다.`,
    moreRegions: n => `나머지 ${n}곳 더 보기`, fewerRegions: "상위 15곳만 보기",
    urlProblems: "주소(URL)의 조건 중 이 페이지가 쓸 수 없는 것이 있어, 그 조건은 쓰지 않고 기본값을 보여 줍니다.",
    badValue: (label, kv, shown) => `${label}(${kv}): 쓸 수 없는 값입니다. 대신 보여 주는 값: ${shown}.`,
    unknownParam: kv => `${kv}: 이 페이지가 모르는 조건이라 쓰지 않았습니다.`,
    serverSays: m => ` 서버의 설명: ${m}`,
    cannotDraw: "이 조건으로는 차트를 그릴 수 없습니다.",
    noMeta: "데이터를 읽지 못해 화면을 그릴 수 없습니다.",
    entryShort: "신입 가능", anyEntry: "경력 조건 없이 모든 공고",
    backend: "백엔드", frontend: "프론트엔드", mobile: "모바일", infra: "인프라·DevOps", security: "보안", other_it: "기타 IT",
    openByDataRole: role => `게시 중 공고는 웨어하우스가 데이터 직무별로만 세어 ${role}에는 그 선이 없습니다.`,
    notIT: "IT 외 직무", dataRoles: "데이터 직무", itGroups: "다른 IT 직무",
    rolesTop: (it, name, n) => `IT 직무 신규 공고 ${it}건 중 가장 많은 것은 ${name}(${n}건)입니다.`,
    rolesData: (n, ofIT, ofMarket) => ` 데이터 직무 네 가지를 합치면 ${n}건으로 IT 직무의 ${ofIT}, 전체 시장의 ${ofMarket}입니다.`,
    rolesDataOnly: (n, ofMarket) => `데이터 직무 네 가지를 합치면 ${n}건으로 전체 시장의 ${ofMarket}입니다. 이 웨어하우스는 다른 IT 직무를 나누지 않고 적재되어 나머지는 모두 '그 밖의 직무'입니다.`,
    rolesBefore: (from, to, before, now) => ` 직전 같은 기간(${from}–${to})에는 데이터 직무가 전체 시장의 ${before}였고 이번에는 ${now}입니다.`,
    rolesNoBefore: " 직전 같은 기간은 웨어하우스에 다 있지 않아 비교하지 않았습니다.",
    rolesNote: (n, p, r, dp, dr, tp, tr) => `IT 직군은 jobpulse의 제목 규칙(pkg/role)으로 나눕니다. 규칙을 만들 때 쓰지 않은 제목 ${n}개에서 IT 직군의 정밀도·재현율은 ${p}·${r}, 데이터 직무의 정밀도·재현율은 ${dp}·${dr}입니다(규칙을 만든 제목에서는 IT 직군 ${tp}·${tr}). 직무 필터는 이 차트에 적용되지 않으며, 막대를 누르면 그 직무로 필터가 바뀝니다.`,
    gridCount: (a, b, n) => `${a}–${b} / ${n}건`, gridNone: "이 조건에 맞는 공고가 없습니다.",
    gridSorts: { posted: "최신 등록순", deadline: "마감 임박순", views: "조회수순", applications: "지원자순", views_per_day: "하루당 조회수순" },
    synthetic: "합성", closed: "마감", noDeadline: "마감일 없음",
    moreRegionsShort: n => ` 외 ${n}곳`,
    gridSkills: (q, k) => `'${q}' 검색: 제목이나 회사 이름에 '${q}'${particle(q, "이/가")} 들어 있거나 ${k} 기술을 요구하는 공고입니다.`,
    gridText: q => `'${q}' 검색: 제목이나 회사 이름에 '${q}'${particle(q, "이/가")} 들어 있는 공고입니다.`,
    gridNarrow: parts => `차트에서 고른 조건: ${parts}`,
    gridFailed: "공고 목록을 읽지 못했습니다.",
    gridSynthetic: " 합성 표시가 있는 공고는 에뮬레이터가 만든 것으로, 링크가 실제 사람인 공고로 이어지지 않습니다.",
    topUsed: { views_per_day: "게시 하루당 조회수로 순위를 매겼습니다.", views: "누적 조회수로 순위를 매겼습니다.", applications: "누적 지원자 수로 순위를 매겼습니다." },
    topMetric: { views_per_day: r => `하루 ${num(r.views_per_day)}회 조회 (조회 ${num(r.views)}회, ${num(r.days_open)}일 게시)`,
      views: r => `조회 ${num(r.views)}회 (${num(r.days_open)}일 게시)`, applications: r => `지원 ${num(r.applications)}명 (${num(r.days_open)}일 게시)` },
  },
  en: {
    all: "Whole market", other: "Other roles", data_engineer: "Data engineer", data_analyst: "Data analyst",
    data_scientist: "Data scientist", ml_engineer: "ML engineer", anyProvince: "All provinces", anyIndustry: "All industries",
    day: "Day", week: "Week", month: "Month", postings: "New postings", share: "Share of market", open: "Open postings",
    entryCount: "Open to newcomers", entryShare: "Newcomer share", coverage: "Postings per month",
    loaded: (s, t) => `${s} last loaded: ${t}`, never: "not yet",
    sources: { saramin: "Postings", trends: "Search interest", cert: "Certifications" },
    noData: "No posting matches these filters.",
    volume: (role, n, from, to, scope) => `From ${from} to ${to}, ${role}${scope ? ` (${scope})` : ""}: ${n} new ${n === "1" ? "posting" : "postings"}.`,
    ofMarket: share => ` That is ${share} of all postings under the same filters.`,
    entryOnly: "open to newcomers",
    span: (n, grain) => `${n} ${{ day: "day", week: "week", month: "month" }[grain]}${n === 1 ? "" : "s"}`,
    compare: (last, before, change, days) => ` The last ${last} against the ${before} before: ${change}.` +
      (days ? " Both spans hold each weekday four times." : ""),
    more: p => `up ${p}`, less: p => `down ${p}`, same: "about the same",
    fromNone: (last, before, n) => ` The ${before} before held no postings; the last ${last} hold ${n}.`,
    noWhole: " No whole period: no comparison.",
    noCompare: (have, need) => ` Too few whole periods to compare (${have}; a comparison needs ${need}).`,
    faded: reasons => ` Faded periods (${reasons.join(", ")}) hold only some of their days and are left out of the comparison.`,
    why: { dates: "cut by the dates", coverage: "at the edge of the warehouse's history", unfinished: "not over yet" },
    gaps: (first, last) => ` The warehouse holds postings from ${first} to ${last} only: periods outside are left blank, not drawn as zero.`,
    uncovered: (first, last) => `The warehouse holds no posting in these dates; it holds postings from ${first} to ${last}.`,
    openHidden: filters => `The open-postings line is hidden: the warehouse counts open postings by role only, so the ${filters} filter cannot apply to it.`,
    filterNames: { entry: "newcomers-only", experience: "experience", province: "province", industry: "industry" },
    entryAll: (role, n) => `With "Newcomers only" chosen, all ${n} ${role} postings are open to newcomers, so the share is 100%; clear that filter to see the share.`,
    countAxis: "Postings", pctAxis: "Share (%)", partialTip: "holds only some of its days", gapTip: "not in the warehouse",
    coverageNote: "This chart shows the whole warehouse, whatever the filters: postings per month. The chosen dates are shaded; months held only in part are faded.",
    entry: (role, pct, n) => `Of ${role} postings, ${pct} (${n}) are open to newcomers.`,
    top: (dim, name, share, n) => `By ${dim}, ${name} leads with ${share} (${n}).`,
    regions: "province", industries: "industry", anyExperience: "Any level",
    expTop: (level, share, n) => `By experience asked, "${level}" is the most common: ${share} (${n} postings).`,
    expUnknown: n => ` ${n} postings whose experience is unknown are not in the bars.`,
    cover: (first, last, months, top, pct) => `The warehouse holds postings from ${first} to ${last}, ${months} ${months === "1" ? "month" : "months"}; the largest month (${top}) holds ${pct} of them.`,
    title: "The data-job market",
    defaultKeyword: "Keyword for the role", defaultExam: "Exam for the role",
    districts: "district", details: "industry detail", askShare: "Share asking",
    skillTop: (role, n, k, p) => `Of ${n} ${n === "1" ? "posting" : "postings"} (${role}), the skill asked for most is ${k}, by ${p} of them.`,
    skillTopIn: (role, n, cat, k, p) => `Of ${n} ${n === "1" ? "posting" : "postings"} (${role}), the ${cat} skill asked for most is ${k}, by ${p} of them.`,
    skillRise: (k, pts) => ` Against the period before, ${k} rose the most (${pts} points).`,
    noSkills: n => `No posting of these ${n} asks for a data skill the dictionary knows.`,
    anyCategory: "All kinds",
    interest: k => `Search interest: ${k}`, postingsFiltered: "New postings (filtered)",
    weekAxis: "Week (from Monday)", postingsAxis: "New postings (per week)", interestAxis: "Search interest (anchor keyword's average = 100)",
    forecast: "Outlook", band: "95% band",
    shown: (from, to, n) => `Drawn: the ${n} weeks from ${from} to ${to} that have both postings and search interest.`,
    shownAll: (from, to, n) => `Drawn: the whole span. Compared: only the ${n} weeks from ${from} to ${to} that have both.`,
    noOverlap: k => `Search interest in '${k}' shares no week with the postings: nothing is compared.`,
    lagLead: (k, w) => `Week to week, search interest in '${k}' moves ${w} ${w === 1 ? "week" : "weeks"} ahead of postings`,
    lagFollow: (k, w) => `Week to week, postings move ${w} ${w === 1 ? "week" : "weeks"} ahead of search interest in '${k}'`,
    lagSame: k => `Week to week, search interest in '${k}' and postings move together in the same week`,
    lagStat: (r, lo, hi, n) => ` (r=${r}, 95% interval ${lo} to ${hi}, over ${n} weeks)`,
    bestWas: (lag, stat, holds) => ` At the latest cut-off the strongest lag is ${lag}${stat}, but ` + (holds ? "other cut-offs found another." : "its interval holds 0: it cannot be told from chance."),
    stable: c => `It was the same lag, with an interval above 0, at each of the last ${c} weekly cut-offs (the last complete week less 0 to ${c - 1} weeks).`,
    noStable: (k, c) => `No stable relation between search interest in '${k}' and postings is seen yet: a lag is read as one only when it is the same, with an interval above 0, at each of the last ${c} weekly cut-offs.`,
    lagsSeen: lags => ` Strongest lag at each cut-off: ${lags}.`,
    lagWeeks: w => w > 0 ? `interest ${w} ${w === 1 ? "week" : "weeks"} ahead` : w < 0 ? `postings ${-w} ${w === -1 ? "week" : "weeks"} ahead` : "the same week",
    noneSeen: "none",
    lagShort: (n, min, c) => `Postings and search interest share only ${n} complete weeks. A lag is read when at least ${min} weeks overlap at each of the last ${c} weekly cut-offs (${min + c - 1} weeks in all).`,
    intervalNote: l => ` Intervals come from a block bootstrap over weeks, widened for the ${l} lags looked at together.`,
    national: fs => ` Search interest is national: the ${fs} ${fs.includes(",") ? "filters apply" : "filter applies"} to the postings only.`,
    filterNames: { entry: "newcomer", experience: "experience", province: "province", industry: "industry" },
    outlook: (mid, lo, hi, slope) => `If the recent trend holds, about ${mid} postings a week over the next 8 weeks (95% band ${lo}–${hi}; trend ${slope} a week).`,
    short: n => `The history is only ${n} weeks long: do not trust this outlook.`,
    stages: { "필기": "Written", "실기": "Practical", "전체": "Single-stage exam" },
    applicants: "applicants (registered)", examinees: "examinees (sat)", passers: "passers", passRate: "pass rate",
    peopleAxis: "People", rateAxis: "Pass rate (%)", yearAxis: "Year", year: y => String(y),
    certStage: (stage, a, e, p, r) => `${stage}: ${a} registered, ${e} sat, ${p} passed (pass rate ${r})`,
    certYear: (exam, y, parts) => `${exam}, ${y}: ${parts}.`,
    unknown: "not published", people: n => n,
    certSource: (src, q) => ` Source: ${src}` + (q ? " (includes unofficial sources)" : "") + ".",
    certSynthetic: " These figures are the emulator's synthetic values.",
    noCert: e => `The warehouse holds no statistics for ${e}.`,
    regionTop: (name, n, total, share) => `${name} is listed most: by ${n} (${share}) of the ${total} postings under these filters.`,
    regionAll: (name, n) => `All ${n} postings under these filters list ${name}.`,
    skillsProvinceNote: "With a province chosen, skills count a posting under the first region it lists (the other charts count every region it lists).",
    certFiltersNote: "Exam statistics are national and yearly: the filters other than the role (which picks the exam) and the dates do not apply to them.",
    regionNote: n => `A posting listing several regions counts in each. Shares are of the ${n} postings under these filters, so they can add up to more than 100%.`,
    moreRegions: n => `Show the other ${n}`, fewerRegions: "Show the top 15 only",
    urlProblems: "The URL holds a filter this page cannot use: it is set aside and the default shown instead.",
    badValue: (label, kv, shown) => `${label} (${kv}): not a value this page can use. Shown instead: ${shown}.`,
    unknownParam: kv => `${kv}: not a filter this page knows; set aside.`,
    serverSays: m => ` The server says: ${m}`,
    cannotDraw: "The charts cannot be drawn for these filters.",
    noMeta: "The data could not be read, so the page cannot be drawn.",
    entryShort: "newcomers", anyEntry: "all postings, any experience",
    backend: "Backend", frontend: "Frontend", mobile: "Mobile", infra: "Infra & DevOps", security: "Security", other_it: "Other IT",
    openByDataRole: role => `The warehouse counts open postings by data role only: there is no open-postings line for ${role}.`,
    notIT: "Outside IT", dataRoles: "Data roles", itGroups: "Other IT work",
    rolesTop: (it, name, n) => `Of ${it} new IT postings, the largest group is ${name} (${n}).`,
    rolesData: (n, ofIT, ofMarket) => ` The four data roles together hold ${n}: ${ofIT} of IT postings and ${ofMarket} of the whole market.`,
    rolesDataOnly: (n, ofMarket) => `The four data roles together hold ${n}, ${ofMarket} of the whole market. This warehouse was loaded without the IT groups, so everything else is "Other roles".`,
    rolesBefore: (from, to, before, now) => ` In the period of the same length before (${from} to ${to}) data roles held ${before} of the market; now ${now}.`,
    rolesNoBefore: " The period of the same length before is not wholly in the warehouse: no comparison.",
    rolesNote: (n, p, r, dp, dr, tp, tr) => `IT groups come from jobpulse's title rules (pkg/role). On ${n} held-out titles no rule was written from, IT groups have precision ${p} and recall ${r}, data roles ${dp} and ${dr} (on the titles the rules were written from, IT groups ${tp} and ${tr}). The role filter does not apply to this chart; click a bar to set it.`,
    gridCount: (a, b, n) => `${a}–${b} of ${n}`, gridNone: "No posting matches these filters.",
    gridSorts: { posted: "Newest first", deadline: "Closing soonest", views: "Most viewed", applications: "Most applied to", views_per_day: "Most viewed per day open" },
    synthetic: "synthetic", closed: "closed", noDeadline: "no deadline",
    // Saramin's close types without a deadline (codes 2-4), in English.
    closeTypes: { "채용시": "Until filled", "상시채용": "Always hiring", "수시채용": "Rolling" },
    moreRegionsShort: n => ` +${n}`,
    gridSkills: (q, k) => `Search '${q}': postings with '${q}' in the title or company name, or asking for ${k}.`,
    gridText: q => `Search '${q}': postings with '${q}' in the title or company name.`,
    gridNarrow: parts => `Chosen on a chart: ${parts}`,
    gridFailed: "The postings could not be read.",
    gridSynthetic: " Postings marked synthetic were made by the emulator: their links lead to no real Saramin posting.",
    topUsed: { views_per_day: "Ranked by views per day open.", views: "Ranked by views so far.", applications: "Ranked by applications so far." },
    topMetric: { views_per_day: r => `${num(r.views_per_day)} views a day (${num(r.views)} views, open ${num(r.days_open)} days)`,
      views: r => `${num(r.views)} views (open ${num(r.days_open)} days)`, applications: r => `${num(r.applications)} applications (open ${num(r.days_open)} days)` },
  },
}[lang];

const LABELS_EN = {
  title: "The data-job market", subtitle: "Where the data engineer, analyst and scientist jobs are, and how many",
  synthetic: "This page shows the emulator's synthetic sample, not the real job market.",
  role: "Role", entry: "Newcomers only", province: "Province", industry: "Industry", grain: "Period",
  from: "From", to: "To", filters: "Filters", volumeTitle: "Hiring over time", entryTitle: "Open to newcomers", regionTitle: "By province",
  industryTitle: "By industry", coverageTitle: "How much history the warehouse holds",
  skillsTitle: "Skills most asked for", skillCategory: "Kind", keyword: "Keyword", exam: "Exam",
  indicatorsTitle: "Postings and search interest on one time axis", spanAll: "Show the weeks outside the overlap too",
  certTitle: "Certification exams by stage", experience: "Experience", experienceTitle: "By experience asked",
  rolesTitle: "Data roles beside other IT work",
  gridTitle: "Postings", gridSearch: "Search", gridSearchHint: "Title, company, skill (Python, SQL …)",
  gridSort: "Order", gridClear: "Clear the chart's choice", gridPrev: "Previous", gridNext: "Next",
  colCompany: "Company", colTitle: "Title", colRegion: "Region", colExperience: "Experience", colSalary: "Salary", colDeadline: "Deadline",
  colViews: "Views", colApps: "Applications", topTitle: "Top postings", topPerDay: "Views per day open", topViews: "Views", topApps: "Applications",
  footer: "Source: Saramin Open API postings, collected and loaded by jobpulse. Roles follow jobpulse's classification rules.",
};

// The words of the lifetime and search-share sections.
Object.assign(T, {
  ko: {
    lifeDays: "게시 후 지난 일수", lifeOpen: "아직 게시 중인 비율(%)", lifeMarket: "같은 조건의 전체 시장",
    lifeMedian: (who, m, lo, hi) => `${who}: 절반이 ${m}일 안에 마감됩니다 (95% 구간 ${lo}–${hi}일).`,
    lifeNoMedian: (who, n) => `${who}: 아직 절반이 마감되지 않아 중앙값을 알 수 없습니다(게시 중 ${n}건).`,
    lifeMarketMedian: m => ` 같은 조건의 전체 시장은 ${m}일입니다.`, lifeUnknown: "미정",
    lifeEnds: (early, expired) => ` 마감일이 있는 공고 중 ${early}는 마감일 전에 조기 마감했고, ${expired}는 마감일에 만료되었습니다.`,
    lifeNoDeadline: n => ` 마감일이 없거나 자리표시 값인 공고(채용시·상시채용 등) ${n}건은 따로 셉니다.`,
    lifeNote: n => `아직 게시 중인 공고 ${n}건은 빼지 않고, 웨어하우스 시각까지 게시된 것으로 보아 중도절단으로 셉니다. ` +
      "조기 마감과 만료는 API가 준 마감일로 나눕니다. 중앙값의 구간은 Greenwood 분산의 log-log 변환(Brookmeyer-Crowley)입니다. 지역은 공고가 처음 올린 지역입니다.",
    lifeCut: d => ` 차트는 지켜보는 공고가 5% 아래로 줄기 전인 ${d}일 무렵까지 그립니다.`,
    lifeMonths: "게시 월별 중앙값(일)", lifeMonth: "게시 월",
    lifeMonthsNote: "최근 달의 공고는 아직 게시 중인 것이 많아, 절반이 마감될 때까지 그 달의 중앙값은 비어 있습니다.",
    lifeNone: "이 조건에 맞는 공고가 없습니다.", lifeDay: d => `${d}일`,
    shareAxis: "검색 관심도 점유율(%)",
    shareReading: (from, to, n, top, p) => `${from}부터 ${to}까지 온전한 ${n}주 동안, 검색 관심도 합계에서 '${top}'의 점유율이 ${p}로 가장 큽니다.`,
    shareRole: (k, p) => ` 이 직무의 검색어 '${k}'는 ${p}입니다.`,
    shareMissing: ks => ` 이 기간에 값이 없는 검색어: ${ks}.`,
    shareNone: "이 기간에는 모든 검색어에 값이 있는 온전한 주가 없어 점유율을 계산하지 않았습니다.",
    shareNote: a => `검색 관심도는 Google Trends의 상대값으로, 요청마다 기준 검색어(${a})의 평균을 100으로 맞춘 값입니다. ` +
      "점유율은 이 기준 안에서 검색어끼리 비교한 것일 뿐, 실제 검색 횟수의 비율이 아닙니다. 끝나지 않은 주는 빼고, 모든 검색어에 값이 있는 주만 평균합니다. 전국 값이라 지역·산업·신입 필터는 적용되지 않습니다.",
    shareMean: m => `평균 관심도 ${m}`, shareAnchor: "기준 검색어",
  },
  en: {
    lifeDays: "Days since posting", lifeOpen: "Still open (%)", lifeMarket: "Whole market, same filters",
    lifeMedian: (who, m, lo, hi) => `${who}: half close within ${m} days (95% interval ${lo}–${hi} days).`,
    lifeNoMedian: (who, n) => `${who}: fewer than half have closed, so the median is not known yet (${n} still open).`,
    lifeMarketMedian: m => ` The whole market under the same filters: ${m} days.`, lifeUnknown: "not yet known",
    lifeEnds: (early, expired) => ` Of the postings with a deadline that ended, ${early} closed before it and ${expired} expired at it.`,
    lifeNoDeadline: n => ` ${n} without a deadline, or with a placeholder one (closing on hire, always open, …), are counted apart.`,
    lifeNote: n => `The ${n} postings still open are not dropped: they count as open up to the warehouse's clock (censored). ` +
      "Closed early and expired are told apart by the deadline the API gives. The median's interval is Brookmeyer-Crowley's on the log-log scale with Greenwood's variance. A posting's province is the first it lists.",
    lifeCut: d => ` The chart stops near day ${d}, before fewer than 5% of the postings are still watched.`,
    lifeMonths: "Median days open by posting month", lifeMonth: "Posting month",
    lifeMonthsNote: "Recent months' postings are mostly still open: a month's median stays blank until half of them have closed.",
    lifeNone: "No posting matches these filters.", lifeDay: d => `day ${d}`,
    shareAxis: "Share of search interest (%)",
    shareReading: (from, to, n, top, p) => `Over the ${n} whole weeks from ${from} to ${to}, '${top}' holds the largest share of the summed search interest: ${p}.`,
    shareRole: (k, p) => ` The role's keyword, '${k}', holds ${p}.`,
    shareMissing: ks => ` No interest in these dates for: ${ks}.`,
    shareNone: "No whole week in these dates has interest for every keyword: no share is computed.",
    shareNote: a => `Search interest is Google Trends' relative value, scaled in every request so that the anchor keyword (${a}) averages 100. ` +
      "A share compares keywords within that scaling only; it is not a share of actual searches. Weeks not over yet are left out, and only the weeks every keyword has are averaged. It is national: the province, industry and newcomer filters do not apply.",
    shareMean: m => `mean interest ${m}`, shareAnchor: "the anchor keyword",
  },
}[lang]);
Object.assign(LABELS_EN, { lifetimeTitle: "How long postings stay open", searchShareTitle: "Share of search interest" });

const num = n => new Intl.NumberFormat(locale).format(n);
const pct = x => new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 }).format(x);
const date = s => new Intl.DateTimeFormat(locale, { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" }).format(new Date(s + "T00:00:00Z"));
const stamp = s => new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: "Asia/Seoul" }).format(new Date(s));
// roleName is a role's, or a group's, name; "other" is outside IT when the
// warehouse holds the IT groups.
const roleName = r => (r === "other" && META && META.groups && META.groups.length ? T.notIT : T[r] || r);
// levelName names a level of experience (META.experience: key, ko, en).
const levelName = k => { const l = META?.experience?.find(l => l.key === k); return l ? l[lang] : k; };

// Korean particles. josa(word, "이/가") is word followed by the particle
// its last sound takes: the first form after a final consonant, the second
// after a vowel ("으로/로" takes 로 after ㄹ too). Pairs: 이/가, 을/를,
// 은/는, 과/와, 으로/로, 이나/나, 이라/라, 아/야, in either order. A word
// ending in a Latin letter or a digit is read the Korean way: letters by
// their names (SQL: 에스큐엘, so 이; only L, R (ㄹ), M and N end in a
// consonant), digits by their reading, a whole number's trailing zeros by
// its place (10: 십, 100: 백, 1000: 천, 10000: 만, 10^8: 억, 10^12: 조), % as
// 퍼센트. Closing brackets, quotes, stops and spaces at the end are skipped.
// A word whose last sound cannot be told gets both forms: "이(가)".
// particle(word, pair) is the particle alone.
const JOSA = {};
for (const [c, v] of [["이", "가"], ["을", "를"], ["은", "는"], ["과", "와"], ["으로", "로"], ["이나", "나"], ["이라", "라"], ["아", "야"]]) {
  JOSA[`${c}/${v}`] = JOSA[`${v}/${c}`] = [c, v];
}
// DIGIT_CODA is the final sound of each digit's reading (영 일 이 삼 사 오 육
// 칠 팔 구): "C" a consonant, "ㄹ" ㄹ, "" a vowel; PLACE_CODA that of a number
// ending in 1 to 16 zeros (십 백 천 만 만 만 만 억 억 억 억 조 조 조 조 경).
const DIGIT_CODA = ["C", "ㄹ", "", "C", "", "", "C", "ㄹ", "ㄹ", ""];
const PLACE_CODA = ["", "C", "C", "C", "C", "C", "C", "C", "C", "C", "C", "C", "", "", "", "", "C"];

function coda(word) {
  const s = String(word).replace(/[\s)\]}>'"’”」』〉》.,!?…]+$/u, "");
  if (!s) return null;
  const ch = s.at(-1), c = ch.codePointAt(0);
  if (c >= 0xac00 && c <= 0xd7a3) {
    const j = (c - 0xac00) % 28;
    return j === 0 ? "" : j === 8 ? "ㄹ" : "C";
  }
  if (c >= 0x3131 && c <= 0x314e) return c === 0x3139 ? "ㄹ" : "C"; // ㄱ (기역) … ㅎ (히읗)
  if (c >= 0x314f && c <= 0x3163) return ""; // ㅏ … ㅣ
  if (/[0-9]/.test(ch)) {
    const [, whole, frac] = /([0-9][0-9,]*)(?:\.([0-9]+))?$/.exec(s);
    if (frac !== undefined) return DIGIT_CODA[+frac.at(-1)];
    const digits = whole.replaceAll(",", "");
    const zeros = digits.length - digits.replace(/0+$/, "").length;
    if (zeros === 0 || zeros === digits.length) return DIGIT_CODA[+digits.at(-1)];
    return PLACE_CODA[Math.min(zeros, PLACE_CODA.length - 1)];
  }
  if (/[A-Za-z]/.test(ch)) return { l: "ㄹ", r: "ㄹ", m: "C", n: "C" }[ch.toLowerCase()] ?? "";
  if (ch === "%") return "";
  return null;
}

function particle(word, pair) {
  const forms = JOSA[pair];
  if (!forms) throw new Error(`josa: unknown particle pair ${pair}`);
  const [afterConsonant, afterVowel] = forms, c = coda(word);
  if (c === null) return `${afterConsonant}(${afterVowel})`;
  return c === "" || (c === "ㄹ" && afterConsonant.startsWith("으로")) ? afterVowel : afterConsonant;
}

function josa(word, pair) { return `${word}${particle(word, pair)}`; }

// EN holds the English names of the provinces and industries (/api/meta).
let EN = {};
// META is the warehouse's facts (/api/meta), read once.
let META = null;

// nameOf is a province's or an industry's name in the page's language.
const nameOf = v => (lang === "en" && EN[v]) || v;

// placeName is a province, or a district with its province ("서울 > 강남구"
// or "서울 강남구"), in the page's language: in English the province's
// English name follows the district ("강남구, Seoul"); districts keep their
// Korean names.
function placeName(v) {
  if (lang !== "en") return v;
  const m = /^(\S+?)(?:\s*>\s*|\s+)(\S.*)$/.exec(v);
  if (m && EN[m[1]]) return `${m[2]}, ${EN[m[1]]}`;
  return EN[v] || v;
}

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
  for (const name of filterNames) {
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
  if (spanAll()) shown.set("span", "all");
  if (lang === "en") shown.set("lang", "en");
  history.replaceState(null, "", "?" + shown.toString());
  // The other language keeps the view.
  const other = new URLSearchParams(shown);
  other.delete("lang");
  if (lang === "ko") other.set("lang", "en");
  document.getElementById("lang").href = "?" + other.toString();
  summarize();
  document.getElementById("error").hidden = true;
  drawCoverage(META, q);
  const views = without(q, "keyword", "exam");
  // Every request at once; each chart draws as soon as its answer is in.
  const jobs = [
    [get("api/volume", views), vol => { drawVolume(vol); drawEntry(vol); }],
    // With a province chosen, its districts; with an industry, its details.
    [get("api/breakdown", "by=" + (q.get("province") ? "district" : "province") + "&" + without(q, "grain", "keyword", "exam")),
      prov => drawRegions(prov, q.get("province"))],
    [get("api/breakdown", "by=" + (q.get("industry") ? "industry_detail" : "industry") + "&" + without(q, "grain", "keyword", "exam")),
      ind => drawBreakdown("industry-chart", "industry-reading", ind, q.get("industry") ? T.details : T.industries)],
    [get("api/breakdown", "by=experience&" + without(q, "grain", "keyword", "exam")), drawExperience],
    [get("api/indicators", indicatorsQuery(q)), drawIndicators],
    [get("api/skills", skillsQuery(q)), v => { keepCategory(v.filter.category); drawSkills(v); }],
    [(GRID.page = 1, gridAnswer(q)), drawGrid], [topAnswer(q), drawTop],
    [get("api/roles", without(q, "role", "grain", "keyword", "exam")), v => drawRoles(v, q.get("role"))],
    [get("api/lifetime", without(q, "grain", "keyword", "exam")), drawLifetime],
    [get("api/search-share", searchShareQuery(q)), drawSearchShare],
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
  if (f.experience.value) parts.push(chosen(f.experience));
  parts.push(chosen(f.grain), `${f.from.value} – ${f.to.value}`);
  setText("filter-summary", parts.filter(Boolean).join(" · "));
}

function without(q, ...keys) {
  const c = new URLSearchParams(q);
  for (const k of keys) c.delete(k);
  return c.toString();
}

// SKILL_COLORS colour the skills chart's bars by category.
const SKILL_COLORS = { language: "#2563eb", storage: "#059669", processing: "#d97706", cloud: "#7c3aed", bi: "#db2777", ml: "#0891b2" };

// skillsQuery is the skills view's query: every filter of the page but the
// period grain, and the category chosen above the chart (the URL's until
// the chooser is filled).
function skillsQuery(q) {
  const c = new URLSearchParams(without(q, "grain", "keyword", "exam"));
  const sel = document.getElementById("skill-category");
  const cat = sel.options.length > 1 ? sel.value : (params.get("category") || "");
  if (cat) c.set("category", cat);
  return c.toString();
}

async function loadSkills(q) {
  const v = await get("api/skills", skillsQuery(q));
  keepCategory(v.filter.category);
  drawSkills(v);
}

// keepCategory writes the chosen category into the page's URL and the
// other language's link, beside the filters.
function keepCategory(cat) {
  const here = new URL(location.href), l = document.getElementById("lang"), other = new URL(l.href, location.href);
  for (const u of [here, other]) {
    if (cat) u.searchParams.set("category", cat); else u.searchParams.delete("category");
  }
  history.replaceState(null, "", here.search);
  l.href = other.search;
}
function drawSkills(v) {
  const rows = v.skills.slice().reverse(), el = document.getElementById("skills");
  const sel = document.getElementById("skill-category");
  if (sel.options.length <= 1) {
    fill(sel, v.categories.map(c => c.id), id => v.categories.find(c => c.id === id)[lang], T.anyCategory);
    sel.value = v.filter.category;
  }
  const name = k => (lang === "en" ? k.en : k.ko);
  // One series per category, stacked: each bar is its skill's category's
  // colour, and the legend names the categories.
  const series = v.categories.filter(c => rows.some(r => r.category === c.id)).map(c => ({
    name: c[lang], type: "bar", stack: "skills", barMaxWidth: 28, itemStyle: { color: SKILL_COLORS[c.id] },
    data: rows.map(r => (r.category === c.id ? +(r.share * 100).toFixed(1) : null)),
  }));
  chart("skills").setOption({
    tooltip: { trigger: "item", valueFormatter: x => x + "%" }, legend: { top: 0, type: "scroll" },
    grid: { left: 8, right: 24, top: 36, containLabel: true },
    xAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } }, yAxis: { type: "category", data: rows.map(name) },
    series,
  }, true);
  const top = v.skills[0], role = roleName(v.filter.role), n = num(v.postings);
  const cat = v.filter.category ? v.categories.find(c => c.id === v.filter.category)[lang] : "";
  let reading = !v.postings ? T.noData : !top ? T.noSkills(n) :
    cat ? T.skillTopIn(role, n, cat, name(top), pct(top.share)) : T.skillTop(role, n, name(top), pct(top.share));
  const risers = v.skills.filter(k => k.before !== null).map(k => ({ ...k, d: k.share - k.before })).sort((a, b) => b.d - a.d);
  if (risers.length && risers[0].d > 0.005) reading += T.skillRise(name(risers[0]), "+" + (risers[0].d * 100).toFixed(1));
  onClick("skills", p => openGrid({ q: name(rows[p.dataIndex]) }));
  setText("skills-reading", reading);
  // Skills are counted under a province by the first region a posting
  // lists (the other charts count every region it lists).
  note("skills", v.filter.province ? T.skillsProvinceNote : "");
  el.dataset.postings = String(v.postings);
  el.dataset.top = top ? top.name : "";
  el.dataset.ready = "1";
}

// ROLE_COLORS colour the roles chart: data roles apart from the other IT
// groups and from the rest of the market.
const ROLE_COLORS = { data: "#2563eb", group: "#9ca3af", other: "#d1d5db" };

// drawRoles draws the data roles beside the other kinds of IT work
// (/api/roles): one bar per role or group, the chosen role outlined; a
// click on a bar makes it the role filter.
function drawRoles(v, chosen) {
  const rows = v.rows.slice().reverse(), el = document.getElementById("roles-chart"), c = chart("roles-chart");
  c.setOption({
    tooltip: { trigger: "item", valueFormatter: x => num(x) },
    grid: { left: 8, right: 24, top: 8, containLabel: true },
    xAxis: { type: "value", minInterval: 1, name: T.countAxis, nameLocation: "middle", nameGap: 28 },
    yAxis: { type: "category", data: rows.map(r => roleName(r.role)) },
    series: [{ name: T.postings, type: "bar", barMaxWidth: 26, data: rows.map(r => ({
      value: r.postings,
      itemStyle: { color: ROLE_COLORS[r.kind], borderColor: r.role === chosen ? "#111827" : undefined, borderWidth: r.role === chosen ? 2 : 0 },
    })) }],
  }, true);
  if (!el.dataset.clicks) {
    el.dataset.clicks = "1";
    c.on("click", p => {
      const role = el.rowsShown && el.rowsShown[p.dataIndex], select = document.getElementById("filters").elements.role;
      if (!role || ![...select.options].some(o => o.value === role)) return;
      select.value = role;
      draw();
    });
  }
  el.rowsShown = rows.map(r => r.role);
  const data = v.rows.filter(r => r.kind === "data"), it = v.rows.filter(r => r.kind !== "other");
  const sum = (rs, k) => rs.reduce((a, r) => a + (r[k] ?? 0), 0);
  const dataN = sum(data, "postings"), itN = sum(it, "postings");
  let reading;
  if (!v.market) {
    reading = T.noData;
  } else if (!v.groups) {
    reading = T.rolesDataOnly(num(dataN), pct(dataN / v.market));
  } else {
    const top = it.reduce((a, r) => (r.postings > a.postings ? r : a), it[0]);
    reading = (itN ? T.rolesTop(num(itN), roleName(top.role), num(top.postings)) : "") +
      T.rolesData(num(dataN), itN ? pct(dataN / itN) : "—", pct(dataN / v.market));
  }
  if (v.market && v.market_before) {
    reading += T.rolesBefore(date(v.before.from), date(v.before.to), pct(sum(data, "before_postings") / v.market_before), pct(dataN / v.market));
  } else if (v.market && v.market_before === null) {
    reading += T.rolesNoBefore;
  }
  setText("roles-reading", reading);
  const e = v.evaluated, f = x => x.toFixed(2);
  setText("roles-note", T.rolesNote(num(e.held_out.cases), f(e.held_out.groups.precision), f(e.held_out.groups.recall),
    f(e.held_out.roles.precision), f(e.held_out.roles.recall), f(e.training.groups.precision), f(e.training.groups.recall)));
  el.dataset.data = String(dataN);
  el.dataset.it = String(itN);
  el.dataset.market = String(v.market);
  el.dataset.ready = "1";
}

function addWeeks(day, n) {
  const d = new Date(day + "T00:00:00Z");
  d.setUTCDate(d.getUTCDate() + 7 * n);
  return d.toISOString().slice(0, 10);
}

// indicatorsQuery is the indicators' request: every filter but the
// period and the dates' start (the comparison wants every week), and the
// whole span only when asked for.
function indicatorsQuery(q) {
  const c = new URLSearchParams(without(q, "grain", "from"));
  if (spanAll()) c.set("span", "all");
  return c.toString();
}

function spanAll() { return document.getElementById("indicators-span").checked; }

// weekEnd is the Sunday of the week starting on Monday day.
function weekEnd(day) {
  const d = new Date(day + "T00:00:00Z");
  d.setUTCDate(d.getUTCDate() + 6);
  return d.toISOString().slice(0, 10);
}

// lagText is a lag's reading: who leads by how much.
function lagText(k, best) {
  return best.weeks > 0 ? T.lagLead(k, best.weeks) : best.weeks < 0 ? T.lagFollow(k, -best.weeks) : T.lagSame(k);
}

function drawIndicators(v) {
  const x = v.indicators, el = document.getElementById("indicators");
  // A week the dates or the edges of the postings cut is faded.
  const postings = x.weeks.map(w => ({ value: [w.week, w.postings], itemStyle: w.partial ? { opacity: 0.35 } : {} }));
  const interest = x.weeks.map(w => [w.week, w.interest]);
  const out = x.outlook.points.map(p => ({ day: addWeeks(x.complete, p.ahead), ...p }));
  chart("indicators").setOption({
    tooltip: { trigger: "axis" }, legend: { type: "scroll", top: 0 }, grid: { left: 64, right: 68, top: 40, bottom: 52 },
    xAxis: { type: "time", name: T.weekAxis, nameLocation: "middle", nameGap: 30 },
    yAxis: [
      { type: "value", name: T.postingsAxis, nameLocation: "middle", nameGap: 44 },
      { type: "value", name: T.interestAxis, nameLocation: "middle", nameGap: 44, position: "right" },
    ],
    series: [
      { name: T.postingsFiltered, type: "bar", data: postings },
      { name: T.interest(x.keyword), type: "line", yAxisIndex: 1, showSymbol: false, connectNulls: false, data: interest },
      { name: T.forecast, type: "line", lineStyle: { type: "dashed" }, data: out.map(p => [p.day, +p.mid.toFixed(1)]) },
      { name: T.band, type: "line", stack: "band", symbol: "none", lineStyle: { opacity: 0 }, data: out.map(p => [p.day, +p.lo.toFixed(1)]) },
      { name: T.band, type: "line", stack: "band", symbol: "none", lineStyle: { opacity: 0 }, areaStyle: { opacity: 0.2 }, data: out.map(p => [p.day, +(p.hi - p.lo).toFixed(1)]) },
    ],
  }, true);
  // A week's postings bar opens the postings of that week.
  onClick("indicators", p => p.seriesIndex === 0 && openGrid(periodOf({ date: x.weeks[p.dataIndex].week }, { ...v.filter, grain: "week" })));
  const ll = x.lead_lag, cuts = ll.cutoffs, last = cuts[0], c = cuts.length;
  let reading;
  if (!x.overlap) {
    reading = T.noOverlap(x.keyword);
  } else {
    reading = (x.span === "all" ? T.shownAll : T.shown)(date(x.overlap.from), date(weekEnd(x.overlap.to)), num(x.overlap.weeks)) + " ";
    const r2 = v => v.toFixed(2);
    if (cuts[c - 1].weeks < ll.min_weeks) {
      reading += T.lagShort(last.weeks, ll.min_weeks, c);
    } else if (ll.stable) {
      reading += lagText(x.keyword, last.best) + T.lagStat(r2(last.best.r), r2(last.lo), r2(last.hi), last.best.n) + ". " + T.stable(c);
      reading += T.intervalNote(2 * ll.max_lag + 1);
    } else {
      reading += T.noStable(x.keyword, c);
      if (last.best.n) reading += T.bestWas(T.lagWeeks(last.best.weeks), T.lagStat(r2(last.best.r), r2(last.lo), r2(last.hi), last.best.n), last.holds);
      reading += T.lagsSeen(cuts.map(k => k.best.n ? T.lagWeeks(k.best.weeks) : T.noneSeen).join(", "));
      reading += T.intervalNote(2 * ll.max_lag + 1);
    }
  }
  if (x.interest_ignores.length) reading += T.national(x.interest_ignores.map(f => T.filterNames[f]).join(", "));
  setText("indicators-reading", reading);
  let outlook = "";
  if (out.length) {
    const avg = k => out.reduce((a, p) => a + p[k], 0) / out.length;
    outlook = T.outlook(num(Math.round(avg("mid"))), num(Math.round(avg("lo"))), num(Math.round(avg("hi"))), (x.outlook.slope >= 0 ? "+" : "") + x.outlook.slope.toFixed(1));
  }
  if (x.outlook.too_short) outlook += " " + T.short(x.outlook.basis);
  setText("outlook-reading", outlook.trim());
  el.dataset.weeks = String(x.weeks.length);
  el.dataset.postings = String(x.weeks.reduce((a, w) => a + (w.postings ?? 0), 0));
  el.dataset.stable = String(ll.stable);
  el.dataset.ready = "1";
  drawCerts(x);
}

// drawCerts shows each stage of the exam by year: applicants (접수자),
// examinees (응시자) and passers (합격자) as the source names them, and the
// pass rate, with the source of the figures under it.
function drawCerts(x) {
  const el = document.getElementById("cert-chart"), rows = x.certs;
  const years = [...new Set(rows.map(r => r.year))].sort((a, b) => a - b);
  const stages = [...new Set(rows.map(r => r.stage))];
  const stageName = s => T.stages[s] || s;
  const at = (stage, year) => rows.find(r => r.stage === stage && r.year === year);
  // One hue per stage: light to dark from applicants to passers, the
  // pass rate a line in the darkest.
  const hues = [["#93c5fd", "#3b82f6", "#1e3a8a"], ["#fdba74", "#f97316", "#7c2d12"], ["#86efac", "#22c55e", "#14532d"]];
  const series = [];
  stages.forEach((st, i) => {
    const hue = hues[i % hues.length];
    ["applicants", "examinees", "passers"].forEach((k, j) => {
      series.push({ name: `${stageName(st)} ${T[k]}`, type: "bar", itemStyle: { color: hue[j] }, data: years.map(y => at(st, y)?.[k] ?? null) });
    });
    series.push({ name: `${stageName(st)} ${T.passRate}`, type: "line", yAxisIndex: 1, itemStyle: { color: hue[2] }, lineStyle: { color: hue[2] },
      data: years.map(y => at(st, y)?.pass_rate ?? null) });
  });
  chart("cert-chart").setOption({
    title: { text: x.exam, left: "center", top: 0, textStyle: { fontSize: 13 } },
    tooltip: { trigger: "axis" }, legend: { type: "scroll", top: 22 }, grid: { left: 64, right: 56, top: 64, bottom: 48 },
    xAxis: { type: "category", name: T.yearAxis, nameLocation: "middle", nameGap: 28, data: years.map(T.year) },
    yAxis: [
      { type: "value", name: T.peopleAxis, nameLocation: "middle", nameGap: 48 },
      { type: "value", name: T.rateAxis, nameLocation: "middle", nameGap: 36, max: 100, position: "right" },
    ],
    series,
  }, true);
  let reading = T.noCert(x.exam);
  if (rows.length) {
    const y = years[years.length - 1], latest = rows.filter(r => r.year === y);
    const n = v => v === null ? T.unknown : T.people(num(v));
    reading = T.certYear(x.exam, y, latest.map(r => T.certStage(stageName(r.stage), n(r.applicants), n(r.examinees), n(r.passers),
      r.pass_rate === null ? T.unknown : pct(r.pass_rate / 100))).join("; "));
    const sources = [...new Set(rows.flatMap(r => r.sources))];
    if (sources.length) reading += T.certSource(sources.join(", "), rows.some(r => r.quality !== "official"));
    if (rows.some(r => r.synthetic)) reading += T.certSynthetic;
  }
  setText("cert-reading", reading);
  // Exam statistics are national and yearly: the page's filters other
  // than the role (which picks the exam) do not apply to them.
  note("cert-chart", T.certFiltersNote);
  el.dataset.rows = String(rows.length);
  el.dataset.ready = "1";
}

// drawRegions shows the postings by province, or by district once a
// province is chosen. A posting counts in each region it lists: the chart
// says so under it, and its shares are of the postings. Every province is
// drawn; districts beyond the first 15 on request.
function drawRegions(b, province) {
  const el = document.getElementById("province-chart"), more = document.getElementById("province-more");
  const expanded = more.dataset.expanded === "1" && more.dataset.for === (province || "");
  const limit = province && !expanded ? 15 : Infinity;
  const shown = b.rows.slice(0, limit), rows = shown.slice().reverse();
  el.style.height = Math.max(320, 26 * rows.length + 72) + "px";
  chart("province-chart").resize();
  chart("province-chart").setOption({
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: v => `${num(v)} (${pct(b.postings ? v / b.postings : 0)})` },
    grid: { left: 110, right: 24, top: 16, bottom: 24 },
    xAxis: { type: "value" }, yAxis: { type: "category", data: rows.map(r => placeName(r.name)) },
    series: [{ name: T.postings, type: "bar", data: rows.map(r => r.postings) }],
  }, true);
  onClick("province-chart", p => openGrid(province ? { district: `${province} > ${rows[p.dataIndex].name}` } : { province: rows[p.dataIndex].name }));
  const hidden = b.rows.length - shown.length;
  more.hidden = !(province && b.rows.length > 15);
  more.textContent = hidden > 0 ? T.moreRegions(num(hidden)) : T.fewerRegions;
  more.dataset.for = province || "";
  more.onclick = () => {
    more.dataset.expanded = hidden > 0 ? "1" : "0";
    drawRegions(b, province);
  };
  setText("province-note", T.regionNote(num(b.postings)));
  el.dataset.total = String(b.rows.reduce((a, r) => a + r.postings, 0));
  el.dataset.postings = String(b.postings);
  el.dataset.rows = String(shown.length);
  const top = b.rows[0];
  let reading = T.noData;
  if (top) reading = top.postings === b.postings ? T.regionAll(placeName(top.name), num(top.postings)) : T.regionTop(placeName(top.name), num(top.postings), num(b.postings), pct(top.share));
  setText("province-reading", reading);
  el.dataset.ready = "1";
}

// Period charts (volume, entry): a period the warehouse does not cover
// has null counts and is left blank; a partial one (cut by the dates, at
// the edge of the warehouse's history, or not over yet) is drawn faded and
// left out of every comparison.
const FADED = 0.35;
const COLORS = { postings: "#5470c6", share: "#91cc75", open: "#fac858", entry: "#73c0de", entryShare: "#ee6666" };

function bars(pts, value) {
  return pts.map(p => ({ value: p.covered ? value(p) : null, itemStyle: p.partial ? { opacity: FADED } : {} }));
}

// lines draws value as a solid line through the whole periods and a
// faded dashed one through the partial periods and the steps to them,
// both under one name (the legend shows one); null is a gap.
function lines(name, pts, value, extra) {
  const v = pts.map(p => (p.covered ? value(p) : null));
  const near = i => pts[i].partial || (i > 0 && pts[i - 1].partial) || (i + 1 < pts.length && pts[i + 1].partial);
  return [
    { name, type: "line", data: v.map((x, i) => (pts[i].partial ? null : x)), ...extra },
    { name, type: "line", data: v.map((x, i) => (near(i) ? x : null)), lineStyle: { type: "dashed", opacity: FADED }, itemStyle: { opacity: FADED }, ...extra },
  ];
}

// tip is a period chart's tooltip: the period, what it holds when it is
// not whole, and each series once (percent series with %).
function tip(pts, percent) {
  const esc = echarts.format.encodeHTML;
  return items => {
    const p = pts[items[0].dataIndex];
    const out = [esc(p.date + (!p.covered ? ` · ${T.gapTip}` : p.partial ? ` · ${T.partialTip}` : ""))];
    const seen = new Set();
    for (const it of items) {
      const v = it.value !== null && typeof it.value === "object" ? it.value.value : it.value;
      if (seen.has(it.seriesName) || v === null || v === undefined || v === "-") continue;
      seen.add(it.seriesName);
      out.push(`${it.marker}${esc(it.seriesName)}: ${esc(num(v) + (percent.includes(it.seriesName) ? "%" : ""))}`);
    }
    return out.join("<br>");
  };
}

// note writes text under a chart, saying what the chart leaves out and
// why ("" clears it).
function note(id, text) {
  const chartEl = document.getElementById(id);
  let el = document.getElementById(id + "-note");
  if (!el) {
    el = document.createElement("p");
    el.id = id + "-note";
    el.className = "note";
    chartEl.after(el);
  }
  el.textContent = text;
  el.hidden = !text;
}

const covered = pts => pts.filter(p => p.covered);
const total = (pts, k) => pts.reduce((a, p) => a + (p.covered ? p[k] : 0), 0);

// scope names the filters other than the role and dates, in the page's
// language.
function scope(f) {
  return [f.province && nameOf(f.province), f.industry && nameOf(f.industry), f.entry && T.entryOnly].filter(Boolean).join(", ");
}

// comparison reads the last whole periods against as many before: 4
// weeks or months against 4, or at the day grain 28 days against 28, so
// that both spans hold each weekday four times. Partial periods are never
// counted; with too few whole periods it says so.
function comparison(pts, grain) {
  const whole = pts.filter(p => p.covered && !p.partial);
  const k = grain === "day" ? 28 : 4;
  if (!whole.length) return T.noWhole;
  if (whole.length < 2 * k) return T.noCompare(T.span(whole.length, grain), T.span(2 * k, grain));
  const sum = a => a.reduce((x, p) => x + p.postings, 0);
  const last = sum(whole.slice(-k)), before = sum(whole.slice(-2 * k, -k));
  const span = T.span(k, grain);
  if (before === 0 && last > 0) return T.fromNone(span, span, num(last));
  const r = before === 0 ? 0 : last / before - 1;
  return T.compare(span, span, Math.abs(r) < 0.02 ? T.same : r > 0 ? T.more(pct(r)) : T.less(pct(-r)), grain === "day");
}

// volumeReading reads a volume answer against the warehouse's facts: the
// role's postings over the days the warehouse covers, their share of the
// market (not for the whole market, always 100%), the comparison, and
// what the faded and blank periods are.
function volumeReading(vol, meta) {
  const pts = vol.points, f = vol.filter;
  if (!covered(pts).length) return meta.first ? T.uncovered(date(meta.first), date(meta.last)) : T.noData;
  const n = total(pts, "postings"), market = total(pts, "market");
  if (n === 0) return T.noData;
  const from = f.from < meta.first ? meta.first : f.from, to = f.to > meta.last ? meta.last : f.to;
  let r = T.volume(roleName(f.role), num(n), date(from), date(to), scope(f));
  if (f.role !== "all" && market > 0) r += T.ofMarket(pct(n / market));
  r += comparison(pts, f.grain);
  const why = [...new Set(pts.filter(p => p.partial).map(p => p.why))];
  if (why.length) r += T.faded(why.map(w => T.why[w] || w));
  if (pts.some(p => !p.covered)) r += T.gaps(date(meta.first), date(meta.last));
  return r;
}

// entryReading reads the share of the role's postings open to newcomers.
function entryReading(vol, meta) {
  const pts = vol.points, f = vol.filter;
  if (!covered(pts).length) return meta.first ? T.uncovered(date(meta.first), date(meta.last)) : T.noData;
  const n = total(pts, "postings"), entry = total(pts, "entry");
  if (n === 0) return T.noData;
  if (f.entry) return T.entryAll(roleName(f.role), num(n));
  return T.entry(roleName(f.role), pct(entry / n), num(entry));
}

function drawVolume(vol) {
  const pts = vol.points, f = vol.filter, el = document.getElementById("volume");
  const series = [{ name: T.postings, type: "bar", color: COLORS.postings, data: bars(pts, p => p.postings) }];
  if (f.role !== "all") {
    // The whole market's share of itself says nothing.
    series.push(...lines(T.share, pts, p => (p.share === null ? null : +(p.share * 100).toFixed(2)), { yAxisIndex: 1, color: COLORS.share }));
  }
  // Open postings are counted by role only: no line under other filters.
  const hiddenBy = ["entry", "experience", "province", "industry"].filter(k => f[k]);
  if (!hiddenBy.length && pts.some(p => p.open !== undefined && p.open !== null)) {
    series.push(...lines(T.open, pts, p => p.open ?? null, { color: COLORS.open }));
  }
  chart("volume").setOption({
    tooltip: { trigger: "axis", formatter: tip(pts, [T.share]) }, legend: {}, grid: { left: 56, right: 56 },
    xAxis: { type: "category", data: pts.map(p => p.date) },
    yAxis: [{ type: "value", name: T.countAxis }, { type: "value", name: T.pctAxis, axisLabel: { formatter: "{value}%" } }],
    series,
  }, true);
  // Nor for an IT group or the postings outside IT: the warehouse counts
  // open postings by data role.
  const groups = (META && META.groups) || [], notData = groups.includes(f.role) || (f.role === "other" && groups.length > 0);
  note("volume", hiddenBy.length ? T.openHidden(hiddenBy.map(k => T.filterNames[k]).join(", ")) : notData ? T.openByDataRole(roleName(f.role)) : "");
  onClick("volume", p => openGrid(periodOf(pts[p.dataIndex], f)));
  el.dataset.total = String(total(pts, "postings"));
  el.dataset.points = String(pts.length);
  el.dataset.partial = String(pts.filter(p => p.partial).length);
  el.dataset.gaps = String(pts.filter(p => !p.covered).length);
  setText("volume-reading", volumeReading(vol, META));
  el.dataset.ready = "1";
}

function drawEntry(vol) {
  const pts = vol.points, el = document.getElementById("entry-chart");
  chart("entry-chart").setOption({
    tooltip: { trigger: "axis", formatter: tip(pts, [T.entryShare]) }, legend: {}, grid: { left: 56, right: 56 },
    xAxis: { type: "category", data: pts.map(p => p.date) },
    yAxis: [{ type: "value", name: T.countAxis }, { type: "value", name: T.pctAxis, max: 100, axisLabel: { formatter: "{value}%" } }],
    series: [
      { name: T.entryCount, type: "bar", color: COLORS.entry, data: bars(pts, p => p.entry) },
      ...lines(T.entryShare, pts, p => (p.entry_pct === null ? null : +(p.entry_pct * 100).toFixed(1)), { yAxisIndex: 1, color: COLORS.entryShare }),
    ],
  }, true);
  onClick("entry-chart", p => openGrid(periodOf(pts[p.dataIndex], vol.filter)));
  el.dataset.total = String(total(pts, "entry"));
  setText("entry-reading", entryReading(vol, META));
  el.dataset.ready = "1";
}

function drawBreakdown(id, readingId, b, dim) {
  const rows = b.rows.slice(0, 15).reverse(), el = document.getElementById(id);
  chart(id).setOption({
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } }, grid: { left: 140, right: 24 },
    xAxis: { type: "value" }, yAxis: { type: "category", data: rows.map(r => nameOf(r.name)) },
    series: [{ name: T.postings, type: "bar", data: rows.map(r => r.postings) }],
  }, true);
  onClick(id, p => openGrid(b.filter.industry ? { industry_detail: rows[p.dataIndex].name } : { industry: rows[p.dataIndex].name }));
  el.dataset.total = String(b.rows.reduce((a, r) => a + r.postings, 0));
  const top = b.rows[0];
  setText(readingId, top ? T.top(dim, nameOf(top.name), pct(top.share), num(top.postings)) : T.noData);
  el.dataset.ready = "1";
}

// drawExperience shows the postings by the experience they ask, every
// level of the code table in order (none left out, zeros included).
function drawExperience(b) {
  const rows = b.rows, el = document.getElementById("experience-chart");
  chart("experience-chart").setOption({
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } }, grid: { left: 140, right: 24 },
    xAxis: { type: "value", name: T.countAxis }, yAxis: { type: "category", inverse: true, data: rows.map(r => levelName(r.name)) },
    // Each bar labelled with its share (a plain string: ECharts draws it as text).
    series: [{ name: T.postings, type: "bar", color: COLORS.entry,
      data: rows.map(r => ({ value: r.postings, label: { show: b.postings > 0, position: "right", formatter: b.postings ? pct(r.share) : "" } })) }],
  }, true);
  onClick("experience-chart", p => openGrid({ experience: rows[p.dataIndex].name }));
  el.dataset.total = String(rows.reduce((a, r) => a + r.postings, 0));
  el.dataset.levels = String(rows.length);
  const top = rows.reduce((a, r) => (r.postings > (a?.postings ?? 0) ? r : a), null);
  const known = rows.reduce((a, r) => a + r.postings, 0);
  let reading = top ? T.expTop(levelName(top.name), pct(top.share), num(top.postings)) : T.noData;
  if (top && known < b.postings) reading += T.expUnknown(num(b.postings - known));
  setText("experience-reading", reading);
  el.dataset.ready = "1";
}

// drawLifetime shows how long the postings stayed open: the share still
// open by days since posting (Kaplan-Meier) for the role and the market,
// the median with its interval and how the postings ended, and the median
// of each posting month.
function drawLifetime(v) {
  const el = document.getElementById("lifetime-chart"), f = v.filter, market = v.market, role = v.role;
  const who = roleName(f.role), pts = c => c.map(s => [s.day, +(s.survival * 100).toFixed(2)]);
  // The tail where few postings are still watched says little: stop
  // before fewer than 5% are.
  const cutAt = market.curve.find(s => s.at_risk < 0.05 * market.postings);
  const xMax = cutAt ? cutAt.day : market.curve.at(-1).day;
  const series = [];
  if (f.role !== "all") series.push({ name: who, type: "line", step: "end", showSymbol: false, color: COLORS.postings, data: pts(role.curve) });
  series.push({ name: T.lifeMarket, type: "line", step: "end", showSymbol: false, color: "#9ca3af", lineStyle: { type: f.role === "all" ? "solid" : "dashed" },
    data: pts(market.curve), markLine: { silent: true, symbol: "none", lineStyle: { color: "#d1d5db" }, data: [{ yAxis: 50 }] } });
  chart("lifetime-chart").setOption({
    tooltip: { trigger: "axis", valueFormatter: x => `${x}%` }, legend: { top: 0 }, grid: { left: 56, right: 32, top: 56, bottom: 48 },
    xAxis: { type: "value", name: T.lifeDays, nameLocation: "middle", nameGap: 28, min: 0, max: Math.max(Math.ceil(xMax / 10) * 10, 10) },
    yAxis: { type: "value", name: T.lifeOpen, min: 0, max: 100 },
    series,
  }, true);
  const shown = f.role === "all" ? market : role;
  let reading;
  if (!shown.postings) {
    reading = T.lifeNone;
  } else {
    const m = shown.median, day = d => d === null ? T.lifeUnknown : num(d);
    reading = m.days === null ? T.lifeNoMedian(who, num(shown.ends.open)) : T.lifeMedian(who, num(m.days), day(m.lower), day(m.upper));
    if (f.role !== "all" && market.median.days !== null) reading += T.lifeMarketMedian(num(market.median.days));
    const e = shown.ends;
    if (e.early_share !== null) reading += T.lifeEnds(pct(e.early_share), pct(1 - e.early_share));
    if (e.closed) reading += T.lifeNoDeadline(num(e.closed));
  }
  setText("lifetime-reading", reading);
  note("lifetime-chart", shown.postings ? T.lifeNote(num(shown.ends.open)) + (cutAt ? T.lifeCut(num(xMax)) : "") : "");
  const months = v.cohorts;
  const monthSeries = [];
  if (f.role !== "all") monthSeries.push({ name: who, type: "line", color: COLORS.postings, connectNulls: false, data: months.map(c => c.median) });
  monthSeries.push({ name: T.lifeMarket, type: "line", color: "#9ca3af", connectNulls: false, data: months.map(c => c.market_median) });
  chart("lifetime-months").setOption({
    title: { text: T.lifeMonths, left: "center", top: 0, textStyle: { fontSize: 12 } },
    tooltip: { trigger: "axis", valueFormatter: x => (x === null || x === undefined ? T.lifeUnknown : T.lifeDay(num(x))) },
    grid: { left: 48, right: 24, top: 28, bottom: 28 },
    xAxis: { type: "category", data: months.map(c => c.month) }, yAxis: { type: "value", minInterval: 1 },
    series: monthSeries,
  }, true);
  note("lifetime-months", T.lifeMonthsNote);
  document.getElementById("lifetime-months").dataset.ready = "1";
  el.dataset.postings = String(shown.postings);
  el.dataset.median = shown.median.days === null ? "" : String(shown.median.days);
  el.dataset.lower = shown.median.lower === null ? "" : String(shown.median.lower);
  el.dataset.upper = shown.median.upper === null ? "" : String(shown.median.upper);
  el.dataset.open = String(shown.ends.open);
  el.dataset.ready = "1";
}

// searchShareQuery is the search-share view's query: the role (its keyword
// is highlighted) and the dates.
function searchShareQuery(q) {
  const c = new URLSearchParams();
  for (const k of ["role", "from", "to"]) if (q.get(k)) c.set(k, q.get(k));
  return c.toString();
}

// shareTip is the search-share chart's tooltip: the keyword, its share
// and its mean interest, escaped.
function shareTip(rows) {
  const esc = echarts.format.encodeHTML;
  return items => {
    const k = rows[items[0].dataIndex];
    return `${esc(k.keyword)}<br>${esc(pct(k.share))} · ${esc(T.shareMean(k.mean.toFixed(1)))}`;
  };
}

// drawSearchShare shows each keyword's share of the summed mean search
// interest over the whole weeks of the dates, the role's keyword
// highlighted, with the anchor scaling's caveat under it.
function drawSearchShare(v) {
  const el = document.getElementById("search-share-chart");
  const rows = v.keywords.filter(k => k.share !== null), missing = v.keywords.filter(k => k.share === null).map(k => k.keyword);
  const shown = rows.slice().reverse();
  chart("search-share-chart").setOption({
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, formatter: shareTip(shown) },
    grid: { left: 150, right: 32, top: 16, bottom: 40 },
    xAxis: { type: "value", name: T.shareAxis, nameLocation: "middle", nameGap: 26 },
    yAxis: { type: "category", data: shown.map(k => k.keyword) },
    series: [{ name: T.shareAxis, type: "bar", data: shown.map(k => ({ value: +(k.share * 100).toFixed(2),
      itemStyle: { color: k.keyword === v.highlight ? "#ee6666" : COLORS.postings } })) }],
  }, true);
  let reading = T.shareNone;
  if (rows.length) {
    reading = T.shareReading(date(v.first), date(weekEnd(v.last)), num(v.weeks), rows[0].keyword, pct(rows[0].share));
    const mine = rows.find(k => k.keyword === v.highlight);
    if (mine && mine !== rows[0]) reading += T.shareRole(mine.keyword, pct(mine.share));
  }
  if (missing.length) reading += T.shareMissing(missing.join(", "));
  setText("search-share-reading", reading);
  note("search-share-chart", T.shareNote(v.anchors.length ? v.anchors.join(", ") : T.shareAnchor));
  el.dataset.weeks = String(v.weeks);
  el.dataset.keywords = String(rows.length);
  el.dataset.highlight = v.highlight;
  el.dataset.ready = "1";
}

// drawCoverage shows the warehouse's history, month by month, whatever
// the filters (it says so), with the chosen dates (q) shaded.
function drawCoverage(meta, q) {
  const rows = meta.coverage, el = document.getElementById("coverage");
  const months = rows.map(r => r.name);
  const from = (q.get("from") || meta.first || "").slice(0, 7), to = (q.get("to") || meta.last || "").slice(0, 7);
  const shade = rows.length && from <= months.at(-1) && to >= months[0] ?
    { silent: true, itemStyle: { color: "rgba(84, 112, 198, 0.08)" }, data: [[{ xAxis: from < months[0] ? months[0] : from }, { xAxis: to > months.at(-1) ? months.at(-1) : to }]] } : undefined;
  chart("coverage").setOption({
    tooltip: { trigger: "axis" }, grid: { left: 56, right: 24 },
    xAxis: { type: "category", data: months }, yAxis: { type: "value", name: T.countAxis },
    series: [{ name: T.coverage, type: "bar", color: COLORS.postings, markArea: shade,
      data: rows.map(r => ({ value: r.postings, itemStyle: r.partial ? { opacity: FADED } : {} })) }],
  }, true);
  note("coverage", T.coverageNote);
  // A month's bar opens the postings of that month.
  onClick("coverage", p => openGrid(periodOf({ date: months[p.dataIndex] + "-01" }, { grain: "month", from: meta.first, to: meta.last })));
  if (rows.length) {
    const top = rows.reduce((a, r) => (r.postings > a.postings ? r : a));
    setText("coverage-reading", T.cover(date(meta.first), date(meta.last), num(rows.length), top.name, pct(top.share)));
  } else {
    setText("coverage-reading", T.noData);
  }
  el.dataset.months = String(rows.length);
  el.dataset.partial = String(rows.filter(r => r.partial).length);
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
  META = meta;
  EN = meta.en || {};
  document.getElementById("synthetic").hidden = !meta.synthetic;
  setText("freshness", ["saramin", "trends", "cert"].map(s => T.loaded(T.sources[s], meta.loaded[s] ? stamp(meta.loaded[s]) : T.never)).join(" · "));
  const f = document.getElementById("filters");
  const groups = meta.groups || [];
  fill(f.elements.role, ["all", ...meta.roles.filter(r => r !== "other"), ...groups, "other"]
    .filter(r => r === "all" || meta.roles.includes(r) || groups.includes(r)), roleName);
  fill(f.elements.experience, meta.experience.map(l => l.key), levelName, T.anyExperience);
  fill(f.elements.province, meta.provinces, nameOf, T.anyProvince);
  fill(f.elements.industry, meta.industries, nameOf, T.anyIndustry);
  fill(f.elements.grain, ["day", "week", "month"], g => T[g]);
  fill(f.elements.keyword, meta.keywords, v => v, T.defaultKeyword);
  fill(f.elements.exam, meta.exams, v => v, T.defaultExam);
  f.elements.grain.value = "week";
  const rejected = fromURL(f);
  // Without a role, the page opens on a data role rather than the whole
  // market.
  if (!params.get("role") || rejected.some(r => r.name === "role")) f.elements.role.value = defaultRole(meta.roles);
  // The indicators' whole span, outside the filters (no other view takes it).
  const span = document.getElementById("indicators-span");
  span.checked = params.get("span") === "all";
  span.addEventListener("change", draw);
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
  document.getElementById("skill-category").addEventListener("change", () => loadSkills(state()).catch(e => showError(T.cannotDraw, e)));
  initGrid();
  await Promise.all([draw(), explain(rejected, f)]);
}

// filterNames are the filters the URL may hold, besides entry and lang.
const filterNames = ["role", "experience", "province", "industry", "grain", "from", "to", "keyword", "exam"];

// fromURL sets the filters the URL holds (they win over the defaults) and
// answers those the page cannot use: a value no option or date input
// takes, an entry other than 1 or 0, a filter the page does not know.
function fromURL(f) {
  const rejected = [];
  for (const [name, value] of params) {
    // lang, span and category are read where they are used.
    if (["lang", "span", "category"].includes(name) || value === "") continue;
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

// The grid of postings and the top postings: the page's filters, narrowed
// by what a chart's bar or point chose (GRID.extra, said above the grid),
// the grid's own search, experience and order, and its page. Each page of
// rows is read from the warehouse.
const GRID = { extra: {}, page: 1, size: 50 };

// onClick makes a click on chart id's bars or points call fn (one
// handler, whatever the redraws).
function onClick(id, fn) {
  const c = chart(id);
  c.off("click");
  c.on("click", p => { if (p.dataIndex !== undefined) fn(p); });
}

// periodOf is the days of a period's point (within the chosen dates).
function periodOf(pt, f) {
  const d = new Date(pt.date + "T00:00:00Z");
  if (f.grain === "week") d.setUTCDate(d.getUTCDate() + 6);
  else if (f.grain === "month") d.setUTCMonth(d.getUTCMonth() + 1, 0);
  const to = d.toISOString().slice(0, 10);
  return { from: pt.date < f.from ? f.from : pt.date, to: to > f.to ? f.to : to };
}

// openGrid shows the postings behind a chart's bar or point: extra
// narrows the page's filters ({province, district, industry,
// industry_detail, experience, role, from, to}, or q for a skill, put in
// the search box), then
// the grid is scrolled to and read again.
function openGrid(extra) {
  const tools = document.getElementById("grid-tools").elements;
  const { q, ...rest } = extra;
  GRID.extra = Object.fromEntries(Object.entries(rest).filter(([, v]) => v));
  if (q !== undefined) tools.q.value = q;
  GRID.page = 1;
  document.getElementById("grid-section").scrollIntoView({ block: "start" });
  return reloadGrid();
}

function initGrid() {
  const form = document.getElementById("grid-tools"), tools = form.elements;
  if (lang === "en") tools.q.placeholder = LABELS_EN.gridSearchHint;
  fill(tools.sort, Object.keys(T.gridSorts), k => T.gridSorts[k]);
  form.addEventListener("submit", e => { e.preventDefault(); GRID.page = 1; reloadGrid(); });
  form.addEventListener("change", () => { GRID.page = 1; reloadGrid(); });
  document.getElementById("grid-prev").addEventListener("click", () => { GRID.page--; loadGrid(); });
  document.getElementById("grid-next").addEventListener("click", () => { GRID.page++; loadGrid(); });
  document.getElementById("grid-clear").addEventListener("click", () => { GRID.extra = {}; GRID.page = 1; reloadGrid(); });
  for (const r of document.querySelectorAll('input[name="top-by"]')) r.addEventListener("change", () => loadTop());
}

// gridFilters are the page's filters (not the period grain, keyword or
// exam) with the grid's own narrowing, search and experience.
function gridFilters(q) {
  const c = new URLSearchParams(without(q, "grain", "keyword", "exam"));
  for (const [k, v] of Object.entries(GRID.extra)) c.set(k, v);
  const tools = document.getElementById("grid-tools").elements, text = tools.q.value.trim();
  if (text) c.set("q", text);
  return c;
}

// The grid's and the top postings' answers; a failure is shown in their
// own section (the charts above do not depend on them).
function gridAnswer(q) {
  const c = gridFilters(q), tools = document.getElementById("grid-tools").elements;
  c.set("sort", tools.sort.value || "posted");
  c.set("page", String(GRID.page));
  c.set("size", String(GRID.size));
  return get("api/postings", c.toString()).catch(e => ({ failed: e }));
}

function topAnswer(q) {
  const c = gridFilters(q);
  c.set("by", document.querySelector('input[name="top-by"]:checked').value);
  return get("api/top", c.toString()).catch(e => ({ failed: e }));
}

// loads counts the grid's reads, so that an older answer is not drawn
// over a newer one.
let gridLoads = 0, topLoads = 0;

async function loadGrid() {
  const n = ++gridLoads, v = await gridAnswer(state());
  if (n === gridLoads) drawGrid(v);
}

async function loadTop() {
  const n = ++topLoads, v = await topAnswer(state());
  if (n === topLoads) drawTop(v);
}

function reloadGrid() { return Promise.all([loadGrid(), loadTop()]); }

// deadlineText is a posting's deadline (KST), or its close type.
function deadlineText(r) {
  if (!r.deadline) return (T.closeTypes && T.closeTypes[r.close_type]) || r.close_type || T.noDeadline;
  const d = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "Asia/Seoul" }).format(new Date(r.deadline));
  return r.open ? d : `${d} (${T.closed})`;
}

// postingLink is a link to the posting on Saramin, in a new tab, marked
// when the posting is the emulator's.
function postingLink(r) {
  // Only a web address is a link: any other scheme the API might send
  // (javascript:, data:) leaves the title as plain text.
  let web = false;
  try { web = ["http:", "https:"].includes(new URL(r.url).protocol); } catch { web = false; }
  const a = document.createElement(web ? "a" : "span");
  if (web) {
    a.href = r.url;
    a.target = "_blank";
    a.rel = "noopener";
  }
  a.textContent = r.title;
  const out = [a];
  if (r.synthetic) {
    const b = document.createElement("span");
    b.className = "badge";
    b.textContent = T.synthetic;
    out.push(b);
  }
  return out;
}

function narrowText(extra) {
  const parts = Object.entries(extra).map(([k, v]) => k === "district" || k === "province" ? placeName(v) : k === "role" ? roleName(v) : k === "experience" ? levelName(v) : k === "from" || k === "to" ? v : nameOf(v));
  if (extra.from && extra.to) parts.splice(parts.indexOf(extra.from), 2, `${extra.from} – ${extra.to}`);
  return parts.join(", ");
}

function drawGrid(v) {
  const el = document.getElementById("grid"), body = el.tBodies[0], tools = document.getElementById("grid-tools").elements;
  const narrow = document.getElementById("grid-narrow");
  narrow.hidden = !Object.keys(GRID.extra).length;
  setText("grid-narrow-text", T.gridNarrow(narrowText(GRID.extra)));
  if (v.failed) {
    body.replaceChildren();
    setText("grid-count", "");
    setText("grid-reading", T.gridFailed + (v.failed.fromServer ? T.serverSays(v.failed.message) : " " + v.failed.message));
    el.dataset.ready = "1";
    return;
  }
  const labels = [...el.tHead.rows[0].cells].map(c => c.textContent);
  body.replaceChildren(...v.rows.map(r => {
    const tr = document.createElement("tr");
    const region = r.regions.length ? placeName(r.regions[0]) + (r.regions.length > 1 ? T.moreRegionsShort(r.regions.length - 1) : "") : "—";
    const cells = [r.company, postingLink(r), region, (r.experience && levelName(r.experience)) || "—", r.salary || "—", deadlineText(r), num(r.views), num(r.applications)];
    cells.forEach((c, i) => {
      const td = document.createElement("td");
      td.dataset.label = labels[i];
      if (i >= 6) td.className = "num";
      if (Array.isArray(c)) td.append(...c); else td.textContent = c;
      tr.append(td);
    });
    return tr;
  }));
  setText("grid-count", v.total ? T.gridCount(num(v.first), num(v.last), num(v.total)) : T.gridNone);
  document.getElementById("grid-prev").disabled = v.page <= 1;
  document.getElementById("grid-next").disabled = v.last >= v.total;
  const q = v.filter.q;
  let reading = q ? (v.skills.length ? T.gridSkills(q, v.skills.join(", ")) : T.gridText(q)) : "";
  if (v.rows.some(r => r.synthetic)) reading += T.gridSynthetic;
  setText("grid-reading", reading.trim());
  el.dataset.total = String(v.total);
  el.dataset.rows = String(v.rows.length);
  el.dataset.ready = "1";
}

function drawTop(v) {
  const list = document.getElementById("top-list");
  if (v.failed) {
    list.replaceChildren();
    setText("top-caveat", T.gridFailed + (v.failed.fromServer ? T.serverSays(v.failed.message) : ""));
    list.dataset.ready = "1";
    return;
  }
  list.replaceChildren(...v.rows.slice(0, 5).map(r => {
    const li = document.createElement("li"), metric = document.createElement("span");
    metric.className = "metric";
    metric.textContent = ` · ${r.company} · ${T.topMetric[v.by](r)}`;
    li.append(...postingLink(r), metric);
    return li;
  }));
  if (!v.rows.length) list.replaceChildren(Object.assign(document.createElement("li"), { textContent: T.gridNone }));
  setText("top-caveat", `${T.topUsed[v.by]} ${v.caveat[lang]}`);
  list.dataset.by = v.by;
  list.dataset.first = v.rows.length ? v.rows[0].id : "";
  list.dataset.ready = "1";
}

// The helpers other parts of the page, and the tests, use.
window.jobpulse = Object.freeze({ josa, particle, nameOf, placeName, volumeReading, entryReading, openGrid });

main();
