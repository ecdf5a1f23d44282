package role

import "regexp"

// gr is a rule mapping a title phrase to a comparison group. Strengths are
// the title rules' (topic, function, explicit); a topic counts only when
// the posting carries no job codes or some IT개발·데이터 code, since "PM",
// "Java" or "소프트웨어" name IT work only in an IT posting.
func gr(id string, g Group, strength int, pattern string) rule[Group] {
	return rule[Group]{id: id, class: g, strength: strength, re: regexp.MustCompile(pattern)}
}

func grcs(id string, g Group, strength int, pattern string) rule[Group] {
	x := gr(id, g, strength, pattern)
	x.cs = true
	return x
}

// groupRules are the title rules of the comparison groups. Sources: the
// Saramin job codes of the IT개발·데이터 group (job_code.csv: 84 백엔드/서버개발,
// 92 프론트엔드, 86 앱개발, 100 SE, 104 네트워크, 127 인프라, 136 클라우드, 95 DBA,
// 154 IDC, 90 정보보안, 99 QA/테스터, 80 게임개발, 101 SI개발, 98 IT컨설팅), the
// emulator's IT title stems (saramintest/titles.go rolesByMid "2"), the real
// 2021-09-27 sample, and common Korean job-title usage (spacing and spelling
// variants, English titles).
var groupRules = []rule[Group]{
	// Security first among equals: "클라우드 보안 엔지니어" is security work.
	gr("security.role", Security, explicit, `(정보\s*)?보안\s*(엔지니어|담당|관제|전문가|컨설턴트|컨설팅|관리자|아키텍트|솔루션|진단|연구원|운영)|정보\s*보(안|호)|개인\s*정보\s*보호|security|모의\s*해킹|침해\s*(사고|대응)|악성\s*코드|화이트\s*해커|취약점|\bisms|\bciso\b|devsecops|red\s*team|\bsoc\b`),
	gr("security.topic", Security, function, `보안|방화벽|firewall|\bips\b`),

	gr("mobile.role", Mobile, explicit, `\bios\b|안드로이드|android|\baos\b|앱\s*개발|app\s*(개발|developer|engineer)|모바일\s*(앱|개발|엔지니어|소프트웨어)|mobile\s*(engineer|developer|software|app)|react\s*native|flutter|플러터|swift|하이브리드\s*앱`),

	gr("frontend.role", Frontend, explicit, `프[론런]트|front[\s-]*end|퍼블리셔|퍼블리싱|publisher|ui\s*(개발|developer|engineer)`),
	grcs("frontend.tag", Frontend, explicit, `\bFE\b`),
	gr("frontend.stack", Frontend, function, `(react|리액트|vue(\.js)?|angular|next\.?js|nuxt|typescript|javascript)\s*(개발|developer|engineer)`),
	gr("frontend.topic", Frontend, topic, `\breact\b|\bvue|angular|\bhtml|\bcss\b|javascript|typescript`),

	gr("backend.role", Backend, explicit, `백\s*[엔앤]드|back[\s-]*end|서버\s*(개발|엔지니어|프로그래머)|server\s*(engineer|developer)|풀\s*스택|full[\s-]*stack|api\s*(서버|개발)`),
	gr("backend.web", Backend, function, `웹\s*(개발|프로그래머|프로그래밍|서비스\s*개발)|web\s*(developer|programmer)`),
	gr("backend.stack", Backend, function, `(java|자바|spring(\s*boot)?|php|node\.?js|django|jsp|golang|kotlin)\s*(백엔드|개발|프로그래머|developer|engineer)`),
	gr("backend.topic", Backend, topic, `\bjava\b|자바|spring|\bphp\b|node\.?js|django|\bjsp\b|서버|server`),

	gr("infra.role", Infra, explicit, `인프라|\binfra|devops|데브옵스|\bsre\b|site\s*reliability|(클라우드|cloud)\s*(엔지니어|engineer|운영|플랫폼|platform|인프라|infra|아키텍트|architect|관리)|네트워크|network|시스템\s*(엔지니어|관리|운영)|system\s*(engineer|admin)|서버\s*(운영|관리)|\bdba\b|\bdb\s*(엔지니어|운영|관리)|데이터\s*베이스\s*(관리|운영)|database|(^|[^빅])데이터\s*센터|\bidc\b|data\s*cent(er|re)|전산\s*(관리|실|정보|시스템|파트|담당|운영|직|$)|헬프\s*데스크|helpdesk|vmware|스토리지|storage|백업|kubernetes|쿠버네티스|리눅스\s*(시스템|서버)`),
	grcs("infra.tag", Infra, explicit, `\b(SE|TA|DBA)\b`),
	gr("infra.topic", Infra, function, `클라우드|\bcloud|유지\s*보수|\bdb\b|통신망|\bsql\s*운영|\bit\s*엔지니어`),

	gr("other.qa", OtherIT, explicit, `\bqa\b|테스터|tester|테스트\s*(자동화|엔지니어)|품질\s*검증`),
	gr("other.embedded", OtherIT, explicit, `임베디드|embedded|펌웨어|firmware|머신\s*비전|machine\s*vision`),
	gr("other.game", OtherIT, explicit, `게임\s*(클라이언트|개발|프로그래머|엔진)|클라이언트\s*(개발|프로그래머)|unity|유니티|unreal|언리얼`),
	gr("other.si", OtherIT, explicit, `\bsi\s*(개발|구축|프로젝트)|\berp\b|\bsap\b|abap|\bmes\b|응용\s*프로그램|프로그램\s*개발|전자\s*차트|\bemr\b|it\s*컨설|컨설팅\s*펌`),
	gr("other.pm", OtherIT, explicit, `프로덕트\s*(오너|매니저)|product\s*(owner|manager)|(서비스|웹|앱)\s*기획|애자일|agile|\bit\s*pm\b|프로젝트\s*매니저`),
	grcs("other.tag", OtherIT, function, `\b(PO|SI|SM)\b`),
	gr("other.lang", OtherIT, function, `(c\+\+|c언어|\bmfc|c#)\s*개발|연구\s*개발|\bsw\s*연구`),
	grcs("other.pm-tag", OtherIT, topic, `\bPM\b`),
	gr("other.topic", OtherIT, topic, `소프트웨어|software|\bsw\b|s/w`),
}

// nonIT names work that is not IT even when its title names IT: a title part
// that matches is dropped before the group rules look at it. Source: the
// non-IT title stems of the emulator (saramintest/titles.go), the real
// sample, and the package's data vetoes (rules.go).
var nonIT = []otherRole{
	o("design", `디자이너|디자인|designer|design\b|일러스트|포토샵|photoshop`),
	o("sales", `영업|\bsales\b|판매|세일즈`),
	o("marketing", `마케터|마케팅|marketer|marketing|홍보|광고`),
	o("teaching", `강사|강의|교수|튜터|tutor|instructor|조교|교직원`),
	o("clerical", `사무|경리|행정|회계|세무|재무|총무|법무|인사|노무|채용\s*담당|구매|물류|재고|\bmd\b`),
	o("guard", `보안\s*요원|경비|경호|cctv|교통`),
	o("facility", `시설|설비|전기|냉각|공조|기계|건축|인테리어|시공|감리|현장|생산|공정|회로|반도체|수리|정비|운전|운송|배송`),
	o("finance", `애널리스트|analyst|증권|투자`),
	o("planning", `전략|사업\s*기획|신사업|경영`),
	o("customer", `상담|텔레마케터|고객`),
	o("media", `편집|크리에이터|라이터|작가|\bpd\b|조연출|애니메이터|영상`),
	o("survey", `조사원|면접원`),
	o("front-desk", `프[론런]트\s*데스크|front\s*desk`),
}

// itGeneric names development without saying which kind ("개발팀", "개발
// 부문", "프로그래머"): a title part that matches keeps a title that also
// names work outside IT from deciding NoGroup, so the job codes decide.
var itGeneric = regexp.MustCompile(`개발|프로그래머|programmer|developer|엔지니어|engineer`)

// groupPoints weighs the job codes of the IT개발·데이터 group per comparison
// group. Source: the Saramin job-code table (job_code.csv). Codes that name a
// group (84, 87, 92, 86, 100, 104, 127, 136, 95, 154, 90, 80, 99, 101) weigh 3;
// the stack and tool codes that lean one way weigh 1 or 2. Data codes, SQL,
// Python and R carry no weight.
var groupPoints = map[string]map[Group]int{
	"84": {Backend: 3}, "87": {Backend: 3}, "142": {Backend: 1}, "291": {Backend: 1}, "292": {Backend: 1},
	"258": {Backend: 1}, "268": {Backend: 1}, "240": {Backend: 1}, "256": {Backend: 1}, "199": {Backend: 1},
	"200": {Backend: 1}, "235": {Backend: 1},
	"92": {Frontend: 3}, "279": {Frontend: 1}, "312": {Frontend: 1}, "281": {Frontend: 1}, "236": {Frontend: 1},
	"209": {Frontend: 1}, "229": {Frontend: 1}, "239": {Frontend: 1}, "194": {Frontend: 1},
	"86": {Mobile: 3}, "220": {Mobile: 2},
	"100": {Infra: 3}, "104": {Infra: 3}, "127": {Infra: 3}, "136": {Infra: 3}, "95": {Infra: 3}, "154": {Infra: 3},
	"175": {Infra: 2}, "174": {Infra: 2}, "112": {Infra: 2}, "201": {Infra: 1}, "246": {Infra: 1}, "305": {Infra: 1},
	"89": {Infra: 1}, "153": {Infra: 1}, "130": {Infra: 1}, "197": {Infra: 1},
	"90": {Security: 3}, "114": {Security: 2},
	"80": {OtherIT: 3}, "99": {OtherIT: 3}, "101": {OtherIT: 3}, "98": {OtherIT: 2}, "102": {OtherIT: 2},
	"320": {OtherIT: 2}, "97": {OtherIT: 2}, "81": {OtherIT: 2}, "167": {OtherIT: 1}, "118": {OtherIT: 1},
	"156": {OtherIT: 1}, "205": {OtherIT: 1}, "206": {OtherIT: 1}, "253": {OtherIT: 1}, "311": {OtherIT: 1},
	"182": {OtherIT: 1}, "184": {OtherIT: 1}, "204": {OtherIT: 1}, "310": {OtherIT: 1},
}

// groupCodeNames maps the names of the codes that name a group (lower-cased,
// spaces removed) to the code, so a posting that carries only names counts
// the same.
var groupCodeNames = map[string]string{
	"백엔드/서버개발": "84", "웹개발": "87", "프론트엔드": "92", "앱개발": "86",
	"se(시스템엔지니어)": "100", "네트워크": "104", "인프라": "127", "클라우드": "136", "dba": "95", "idc": "154",
	"정보보안": "90", "방화벽": "114",
	"게임개발": "80", "qa/테스터": "99", "si개발": "101", "it컨설팅": "98", "임베디드리눅스": "320",
}

// itCodeBand is the range of job codes in the IT개발·데이터 group (job_code.csv:
// 80-320); a code there counts as IT when the posting has no job groups.
const itCodeBandLow, itCodeBandHigh = 80, 320
