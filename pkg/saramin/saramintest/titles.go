package saramintest

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// roleSpec is a kind of job: title stems and the job codes it carries.
type roleSpec struct {
	title []string
	codes []string
	data  bool
}

// dataRoles are data engineering, analysis, science and ML postings; their
// share of the market grows over the history.
var dataRoles = []roleSpec{
	{title: []string{"데이터 엔지니어 (Spark/Airflow)", "Data Engineer", "데이터 엔지니어", "빅데이터 플랫폼 개발자",
		"데이터 파이프라인 엔지니어 (Kafka/Spark)", "DW/ETL 개발자", "Senior Data Engineer"},
		codes: []string{"83", "116", "289", "227", "272", "293", "148", "84", "136"}, data: true},
	{title: []string{"데이터 분석가", "Data Analyst", "데이터 분석가 (SQL/Python)", "BI 데이터 분석 담당자", "그로스 데이터 분석가",
		"데이터 분석 담당자"},
		codes: []string{"82", "1658", "293", "276", "272", "1466", "107"}, data: true},
	{title: []string{"Data Scientist", "데이터 사이언티스트", "추천시스템 데이터 사이언티스트", "데이터 사이언티스트 (NLP)"},
		codes: []string{"109", "108", "181", "272", "106", "137", "82"}, data: true},
	{title: []string{"ML Engineer", "머신러닝 엔지니어", "AI 연구원 (딥러닝)", "MLOps 엔지니어", "Machine Learning Engineer"},
		codes: []string{"109", "108", "181", "133", "272", "136"}, data: true},
}

// dataCodes are the job codes only data roles carry.
var dataCodes = map[string]bool{"82": true, "83": true, "106": true, "107": true, "108": true, "109": true, "116": true,
	"133": true, "137": true, "148": true, "181": true, "227": true, "289": true, "1466": true, "1658": true}

// lookAlikes mention data but are not data jobs.
var lookAlikes = []roleSpec{
	{title: []string{"데이터센터 운영", "데이터센터 시설관리 엔지니어", "IDC 데이터센터 운영 요원"}, codes: []string{"154", "104", "100", "127"}},
	{title: []string{"데이터 입력 사무보조", "고객 데이터 입력 사무원", "데이터 입력 아르바이트"}, codes: []string{"405", "402", "388"}},
	{title: []string{"영업 데이터 관리", "영업 데이터 관리 및 영업지원"}, codes: []string{"700", "699", "758"}},
}

// rolesByMid are title stems per job group.
var rolesByMid = map[string][]string{
	"2": {"백엔드 개발자", "프론트엔드 개발자", "웹 개발자", "앱 개발자 (iOS/Android)", "시스템 엔지니어", "네트워크 엔지니어",
		"정보보안 담당자", "QA 엔지니어", "DBA", "임베디드 SW 개발자", "클라우드 엔지니어", "SI 개발자", "Java 개발자",
		"Backend Engineer", "풀스택 개발자", "IT 유지보수 엔지니어", "게임 클라이언트 개발자"},
	"3":  {"회계 담당자", "재무회계 담당", "세무 담당자", "경리 사무원", "재무기획 담당"},
	"4":  {"사무보조", "총무 담당자", "일반사무", "법무 담당자", "사무관리"},
	"5":  {"인사 담당자", "HRD 담당자", "노무 담당", "채용 담당자"},
	"7":  {"배송기사", "납품 운전원", "화물 운송 기사"},
	"8":  {"기술영업", "해외영업", "영업관리", "B2B 영업", "매장관리", "IT 솔루션 영업", "거래처 관리"},
	"10": {"고객서비스", "매장 스태프", "A/S 기사", "정비기사"},
	"11": {"생산직", "품질관리", "생산관리", "설비보전", "공정 엔지니어"},
	"12": {"온라인 MD", "상품기획 MD", "리테일 MD"},
	"13": {"영상편집자", "PD", "콘텐츠 크리에이터", "테크니컬 라이터"},
	"14": {"마케팅 기획", "퍼포먼스 마케터", "브랜드 마케터", "홍보 담당자", "디지털 마케터", "콘텐츠 마케터"},
	"15": {"웹디자이너", "UI/UX 디자이너", "그래픽 디자이너", "편집디자이너", "패키지 디자이너", "제품 디자이너", "BX 디자이너"},
	"16": {"서비스 기획자", "사업기획", "전략기획", "PM", "신사업 기획", "웹기획자"},
	"18": {"구매 담당", "물류관리", "재고관리 담당"},
	"19": {"강사", "교직원", "교육 운영 담당", "컴퓨터 강사"},
	"21": {"고객상담원", "CS 매니저", "텔레마케터", "인바운드 상담원"},
	"22": {"현장관리자", "인테리어 시공 담당", "건축설계", "실내건축 디자이너"},
}

// makeTitle builds a posting title from a role stem, the company and the
// experience asked for.
func makeTitle(r *rand.Rand, stems []string, c *company, expCode, expMin int8) string {
	stem := stems[r.IntN(len(stems))]
	short := strings.TrimPrefix(c.name, "(합성) ")
	for _, s := range []string{"(주)", "주식회사 ", "(유)"} {
		short = strings.ReplaceAll(short, s, "")
	}
	short = strings.TrimSpace(short)
	exp := ""
	switch expCode {
	case 1:
		exp = "신입"
	case 2:
		exp = fmt.Sprintf("경력 %d년 이상", expMin)
		if r.IntN(2) == 0 {
			exp = "경력"
		}
	case 3:
		exp = "신입/경력"
	}
	withExp := func(s string) string {
		if exp == "" {
			return s
		}
		return s + " " + exp
	}
	switch r.IntN(6) {
	case 0:
		return fmt.Sprintf("[%s] %s 채용", short, withExp(stem))
	case 1:
		if exp == "" {
			return stem + " 모집"
		}
		return fmt.Sprintf("%s (%s) 모집", stem, exp)
	case 2:
		return fmt.Sprintf("%s 채용 (%d명)", withExp(stem), 1+r.IntN(3))
	case 3:
		return fmt.Sprintf("%s %s 채용", short, withExp(stem))
	case 4:
		return withExp(stem) + " 채용"
	default:
		return fmt.Sprintf("[%s] %s 구인", short, stem)
	}
}
