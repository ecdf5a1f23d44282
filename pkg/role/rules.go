package role

import "regexp"

// Strength of a title match. A stronger match beats a weaker one anywhere in
// the title; among equally strong matches the first mentioned wins.
const (
	// topic names a data field but not a job ("빅데이터", "머신러닝"). Topic
	// matches are dropped from a title part that also names a non-data
	// occupation ("빅데이터 솔루션 영업") and from a bracketed prefix.
	topic = 1
	// function names data work ("데이터 분석", "ETL 개발", "데이터 파이프라인").
	function = 2
	// explicit names the data role itself ("데이터 엔지니어", "Data Scientist").
	explicit = 3
)

// A rule maps a title phrase to a class: a data role (titleRules) or a
// comparison group (groupRules).
type rule[C Role | Group] struct {
	id       string
	class    C
	strength int
	re       *regexp.Regexp
	// cs rules run on the title as written (upper-case abbreviations such as
	// DE, DA, DS, DW); the others run on the ASCII-lower-cased title.
	cs bool
}

func r(id string, role Role, strength int, pattern string) rule[Role] {
	return rule[Role]{id: id, class: role, strength: strength, re: regexp.MustCompile(pattern)}
}

func rcs(id string, role Role, strength int, pattern string) rule[Role] {
	x := r(id, role, strength, pattern)
	x.cs = true
	return x
}

// titleRules are the positive title rules. Sources, per group:
//   - [codes]  the Saramin job-code table (codes/data/job_code.csv): 데이터엔지니어
//     (83), 데이터분석가 (82), DW (148), 빅데이터 (116), 데이터분석 (1658), 통계/분석
//     (1466), 데이터마이닝 (106), 텍스트마이닝 (137), 머신러닝 (109), 딥러닝 (108),
//     AI(인공지능) (181), 컴퓨터비전 (133).
//   - [seed]   the seed project's role tags DE / DA / DS, matched only as whole
//     upper-case tokens (never inside DESIGN, IDEA, DAY).
//   - [usage]  common Korean job-title usage, as the emulator's titles
//     (saramintest/titles.go) and the real 2021-09-27 sample show it: spacing
//     variants (데이터엔지니어 / 데이터 엔지니어), English titles, and the heads
//     엔지니어 / 개발자 / 분석가 / 연구원.
var titleRules = []rule[Role]{
	// Data engineer. [codes] 83 데이터엔지니어, 148 DW, 116 빅데이터; [seed] DE;
	// [usage] 빅데이터 엔지니어/개발자, ETL/DW 개발, 데이터 파이프라인/플랫폼,
	// "DW/ETL 개발자" and "빅데이터 플랫폼 개발자" from the emulator. Data
	// architects and modellers are folded in here (decision in the package doc).
	r("de.ko", DataEngineer, explicit, `데이터\s*엔지니어`),
	r("de.en", DataEngineer, explicit, `data\s*engineer`),
	rcs("de.tag", DataEngineer, explicit, `\bDE\b`),
	r("de.architect", DataEngineer, explicit, `데이터\s*(아키텍트|모델러)|data\s*(architect|modell?er)`),
	r("de.analytics-engineer", DataEngineer, explicit, `analytics\s*engineer|애널리틱스\s*엔지니어|data\s*ops|데이터\s*옵스`),
	r("de.bigdata-work", DataEngineer, function, `빅\s*데이터\s*(개발|플랫폼|처리|인프라|시스템|엔지니어링|솔루션\s*개발)|big\s*data\s*(developer|engineer|platform)`),
	r("de.platform", DataEngineer, function, `데이터\s*(분석\s*)?(파이프라인|플랫폼|웨어하우스|레이크|인프라|엔지니어링)|data\s*(pipeline|platform|warehouse|lake|infra)|(로그|수집)\s*파이프라인`),
	rcs("de.dw", DataEngineer, function, `\bDW\b`),
	r("de.etl", DataEngineer, function, `\betl\b|\belt\b`),
	r("de.bi-dev", DataEngineer, function, `\bbi\s*(개발|엔지니어|developer|engineer)`),
	r("de.stack-dev", DataEngineer, function, `(hadoop|하둡|spark|스파크|kafka|카프카|airflow|에어플로우|flink)\s*(개발|엔지니어|developer|engineer)`),
	r("de.bigdata", DataEngineer, topic, `빅\s*데이터|big\s*data`),
	r("de.stack", DataEngineer, topic, `\b(hadoop|spark|kafka|airflow)\b|하둡`),

	// Data analyst. [codes] 82 데이터분석가, 1658 데이터분석, 1466 통계/분석; [seed] DA;
	// [usage] 데이터 애널리스트, BI 분석, 그로스 분석, 비즈니스/프로덕트 애널리스트,
	// "그로스 데이터 분석가", "BI 데이터 분석 담당자" from the emulator,
	// "마케팅 데이터분석가" from the real sample. BI analysts fold in here.
	r("da.ko", DataAnalyst, explicit, `데이터\s*(분석가|애널리스트)`),
	r("da.en", DataAnalyst, explicit, `data\s*analyst`),
	rcs("da.tag", DataAnalyst, explicit, `\bDA\b`),
	r("da.analyst", DataAnalyst, explicit, `(비즈니스|프로덕트|그로스|bi)\s*애널리스트|(business|product|growth|bi|marketing|analytics|insights?)\s*analyst`),
	r("da.func", DataAnalyst, function, `데이터\s*분석|데이터\s*애널리틱스|(data|business|product|marketing)\s*analytics`),
	r("da.bi", DataAnalyst, function, `\bbi\s*(분석|담당|리포팅)|business\s*intelligence|비즈니스\s*인텔리전스`),
	r("da.growth", DataAnalyst, function, `그로스\s*(분석|애널리틱스)`),
	r("da.extract", DataAnalyst, function, `데이터\s*추출`),
	r("da.stats", DataAnalyst, function, `통계\s*분석`),
	r("da.reporting", DataAnalyst, function, `태블로|tableau|power\s*bi|데이터\s*리포팅`),

	// Data scientist. No dedicated job code; [codes] 106 데이터마이닝 and 137
	// 텍스트마이닝 lean this way; [seed] DS; [usage] 데이터 사이언티스트 /
	// 데이터 과학자, "추천시스템 데이터 사이언티스트" from the emulator.
	r("ds.ko", DataScientist, explicit, `데이터\s*(사이언티스트|과학자)`),
	r("ds.en", DataScientist, explicit, `data\s*scientist`),
	rcs("ds.tag", DataScientist, explicit, `\bDS\b`),
	r("ds.func", DataScientist, function, `데이터\s*사이언스|data\s*science|사이언티스트|scientist`),
	// Statistical risk and forecasting models, the classic data-science work
	// in Korean finance and retail ("신용평가 모형 개발").
	r("ds.model", DataScientist, function, `(신용\s*평가|리스크|수요\s*예측|예측)\s*(모델|모형)`),
	r("ds.mining", DataScientist, function, `(데이터|텍스트)\s*마이닝|(data|text)\s*mining`),

	// ML engineer, AI research included (decision in the package doc).
	// [codes] 109 머신러닝, 108 딥러닝, 181 AI(인공지능), 133 컴퓨터비전; [usage]
	// ML/머신러닝/AI/딥러닝 엔지니어, MLOps, AI 연구원, "AI 연구원 (딥러닝)" from the
	// emulator, "인공지능 개발자" and "IT개발·데이터(머신러닝&컴퓨터비전)" from the
	// real sample. A bare "AI" is not a signal: "PS, AI 등 사용 가능" in the
	// sample means Adobe Illustrator.
	r("ml.role", MLEngineer, explicit, `(머신\s*러닝|machine\s*learning|\bml|딥\s*러닝|deep\s*learning|\bai|인공\s*지능|\bllm|\bnlp|자연어\s*처리|컴퓨터\s*비전|computer\s*vision|비전\s*ai|vision\s*ai|음성\s*인식|추천\s*(시스템|알고리즘|모델))\s*(엔지니어|개발자|개발|연구원|연구|리서처|리서치|engineer|developer|researcher|research|scientist|사이언티스트|모델\s*개발)`),
	r("ml.ai-product", MLEngineer, explicit, `\bai\s*(모델|솔루션|플랫폼|서비스)\s*(개발|엔지니어|engineer|developer)`),
	r("ml.ops", MLEngineer, explicit, `ml\s*ops|llm\s*ops|엠엘옵스`),
	r("ml.research", MLEngineer, explicit, `research\s*(scientist|engineer)|리서치\s*(사이언티스트|엔지니어)`),
	r("ml.infra", MLEngineer, function, `(머신\s*러닝|딥\s*러닝|\bml|\bai)\s*(플랫폼|인프라|모델|서빙|파이프라인|platform|infra|serving)`),
	r("ml.topic", MLEngineer, topic, `머신\s*러닝|machine\s*learning|딥\s*러닝|deep\s*learning|인공\s*지능|\bllm\b|\bnlp\b|자연어\s*처리|컴퓨터\s*비전|computer\s*vision|생성형\s*ai|\bgen\s*ai\b|\bml\b`),
}

// A veto removes a title part from consideration: the part may mention data,
// but the job is not a data job. Global vetoes cover the whole title.
type veto struct {
	id     string
	re     *regexp.Regexp
	global bool
}

func v(id string, global bool, pattern string) veto {
	return veto{id: id, re: regexp.MustCompile(pattern), global: global}
}

// vetoes run on the ASCII-lower-cased title. Source: the look-alikes in the
// emulator (saramintest/titles.go: 데이터센터, 데이터 입력, 영업 데이터) and the
// brief's must-not-match list; the rest is common Korean posting usage.
var vetoes = []veto{
	// Courses and schools advertised as postings: "빅데이터 분석 국비지원 교육생
	// 모집", and the sample's "신입생 선발 모집요강".
	v("training", true, `국비|교육생|수강생|훈련생|부트\s*캠프|bootcamp|모집\s*요강|신입생|양성\s*과정|교육\s*과정|과정\s*(모집|생)|무료\s*교육|아카데미`),
	// Data labelling / annotation piece work.
	v("labeling", true, `라벨링|레이블링|라벨러|레이블러|어노테이션|어노테이터|annotation|annotator|labell?ing|labell?er|데이터\s*(가공|수집)\s*(알바|아르바이트|부업)|크라우드\s*워커`),
	// Data entry: 데이터 입력, 전산 입력, 물류 데이터 입력.
	v("data-entry", true, `(데이터|자료|전산|정보)\s*입력|입력\s*(사무|알바|아르바이트|업무|보조|원)|타이핑|data\s*entry`),
	// Data-centre operations (not 빅데이터센터, a research unit).
	v("datacenter", false, `(^|[^빅])데이터\s*센터|\bidc\b|data\s*cent(er|re)`),
	// Clerical work.
	v("clerical", false, `사무\s*보조|사무원|사무직|일반\s*사무|경리`),
	// Teaching about data is teaching.
	v("teaching", false, `강사|강의|교수|튜터|tutor|instructor|조교`),
	// Design, including 데이터 시각화 디자이너 and BI디자인 (brand identity).
	v("design", false, `디자이너|디자인|designer|design\b`),
	// Finance analysts.
	v("finance-analyst", false, `(증권|투자|주식|펀드|채권|크레딧|신용|섹터|기업|산업|equity|credit|investment|sell[\s-]*side|buy[\s-]*side)\s*(애널리스트|analyst|분석가|리서치)|리서치\s*센터|research\s*center`),
	// Call-centre statistics (Saramin's 콜통계/분석, 통화품질분석 codes, group 21).
	v("callcenter", false, `콜\s*(센터\s*)?통계|통화\s*품질`),
	// Survey field work.
	v("survey-field", false, `조사원|면접원`),
}

// otherRole names a non-data occupation. It makes a title part's topic
// matches void, and a title that names one and no data role classifies as
// None without looking at job codes: Saramin job codes are ticked liberally
// (the sample's "웹프로그래머" carries 데이터분석가, 데이터엔지니어, 머신러닝),
// and the emulator gives non-data IT postings codes from the whole IT band.
type otherRole struct {
	id string
	re *regexp.Regexp
}

func o(id, pattern string) otherRole { return otherRole{id: id, re: regexp.MustCompile(pattern)} }

// otherRoles run on the ASCII-lower-cased title. Source: the emulator's
// non-data title stems per job group (saramintest/titles.go rolesByMid), the
// real sample's titles, and Saramin's job groups (job_mid.csv).
var otherRoles = []otherRole{
	o("dba", `\bdba\b|\bdb\b|dbms|\bsql|데이터\s*베이스|database`),
	o("backend", `백\s*[엔앤]드|\bback[\s-]*end|서버\s*개발|\bserver`),
	o("frontend", `프[론런]트|\bfront[\s-]*end|퍼블리셔|publisher|풀\s*스택|full[\s-]*stack`),
	o("web-app", `웹|\bweb|앱|\bapp\b|\bios\b|안드로이드|android|flutter|플러터`),
	o("game", `게임|\bgame|클라이언트|unity|unreal`),
	o("embedded", `임베디드|embedded|펌웨어|firmware|하드웨어|hardware|\bh/w|회로|반도체`),
	o("infra", `네트워크|network|보안|정보\s*보호|security|인프라|\binfra|클라우드|\bcloud|데브옵스|devops|\bsre\b|시스템\s*엔지니어|system\s*engineer|\bse\b|유지\s*보수|전산|헬프\s*데스크|helpdesk|관제|모니터링|통신|vmware|\bit\s*운영|운영\s*(요원|인력)`),
	o("qa", `\bqa\b|\bqc\b|테스터|tester|품질`),
	o("language-dev", `자바|\bjava\b|\bphp\b|c\+\+|\bc#|\.net\b|\bjsp\b|spring|node\.?js|react|vue|\bsi\b|\bsm\b|\berp\b|\bsap\b|\bmes\b|\bcrm\b|응용\s*프로그램|프로그래머|programmer`),
	o("sales", `영업|\bsales\b|판매|매장|거래처`),
	o("marketing", `마케터|마케팅|marketer|marketing|홍보|광고|\bsns\b`),
	o("planning", `기획|\bpm\b|\bpo\b|프로젝트\s*매니저|전략|컨설턴트|컨설팅|consultant|코치|coach|\bta\b`),
	o("business-support", `회계|세무|재무|총무|법무|인사(\s|$|담당|팀|노무|총무|기획|관리|행정)|노무|\bhrd?\b|채용\s*담당|accounting|구매|재고|물류|\bmd\b`),
	o("customer", `상담|텔레마케터|고객|\bcs\b|\bcx\b`),
	o("field", `배송|기사|운전|운송|생산|설비|공정|현장|인테리어|건축|시공|정비|설계|감리|수리`),
	o("media", `편집|크리에이터|라이터|작가|\bpd\b|조연출|애니메이터|일러스트|포토샵|photoshop`),
	o("education-care", `교직원|교육|간호|요양|조리`),
	o("data-admin", `데이터\s*(관리|통신)`),
}

// codePoints weighs the job codes (and their names, see codeNames) per role.
// Source: the Saramin job-code table (job_code.csv) and the codes the emulator
// gives each data role (saramintest/titles.go dataRoles). Python (272), R
// (276) and SQL (293) carry no weight: the real sample ticks R on network
// and QA postings. 95 DBA, 1526 BI디자인 and the call-centre codes 1998/1999/
// 2003 are deliberately absent.
var codePoints = map[string]map[Role]int{
	"83":   {DataEngineer: 3},  // 데이터엔지니어
	"148":  {DataEngineer: 2},  // DW
	"116":  {DataEngineer: 1},  // 빅데이터
	"227":  {DataEngineer: 1},  // Hadoop
	"289":  {DataEngineer: 1},  // Spark
	"82":   {DataAnalyst: 3},   // 데이터분석가
	"1658": {DataAnalyst: 2},   // 데이터분석 (기획·전략)
	"1466": {DataAnalyst: 1},   // 통계/분석 (마케팅·홍보·조사)
	"107":  {DataAnalyst: 1},   // 데이터시각화
	"106":  {DataScientist: 2}, // 데이터마이닝
	"137":  {DataScientist: 2}, // 텍스트마이닝
	"109":  {MLEngineer: 2},    // 머신러닝
	"108":  {MLEngineer: 2},    // 딥러닝
	"181":  {MLEngineer: 2},    // AI(인공지능)
	"133":  {MLEngineer: 1},    // 컴퓨터비전
}

// codeNames maps job-code names and keywords (lower-cased, spaces removed) to
// the code they stand for, so a posting that carries only names, or a
// keyword that repeats a code's name, counts once.
var codeNames = map[string]string{
	"데이터엔지니어": "83", "dataengineer": "83",
	"dw": "148", "데이터웨어하우스": "148",
	"빅데이터": "116", "bigdata": "116",
	"hadoop": "227", "하둡": "227",
	"spark":  "289",
	"데이터분석가": "82", "dataanalyst": "82",
	"데이터분석": "1658",
	"통계/분석": "1466", "통계분석": "1466",
	"데이터시각화": "107",
	"데이터마이닝": "106", "datamining": "106",
	"텍스트마이닝": "137", "textmining": "137",
	"머신러닝": "109", "machinelearning": "109",
	"딥러닝": "108", "deeplearning": "108",
	"ai(인공지능)": "181", "인공지능(ai)": "181", "인공지능": "181",
	"컴퓨터비전": "133", "computervision": "133",
}

const (
	// codeThreshold is the job-code score a role needs when the title does
	// not decide: one role-defining code (데이터엔지니어, 데이터분석가) plus the
	// IT개발·데이터 group, or two supporting codes.
	codeThreshold = 4
	// itDataMid is Saramin's IT개발·데이터 job group (job_mid.csv).
	itDataMid = "2"
)
