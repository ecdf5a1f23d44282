package warehousetest

import "strings"

// TitleClassifier is a warehouse.Classifier for fixtures whose expectations
// name a posting's role by its title alone: a few unambiguous title
// patterns, checked in this order (scientist before engineer: "ML 데이터
// 사이언티스트" is a scientist), and no comparison group, so every posting
// that is not a data job is the rest of the market. Package role decides in
// the jobs.
func TitleClassifier(title string, _, _, _, _ []string) (role, group string) {
	t := strings.ToLower(title)
	for _, r := range []struct {
		role     string
		patterns []string
	}{
		{"data_scientist", []string{"데이터 사이언티스트", "데이터사이언티스트", "data scientist"}},
		{"ml_engineer", []string{"머신러닝 엔지니어", "머신러닝엔지니어", "ml engineer", "mlops"}},
		{"data_analyst", []string{"데이터 분석가", "데이터분석가", "data analyst"}},
		{"data_engineer", []string{"데이터 엔지니어", "데이터엔지니어", "data engineer", "빅데이터 개발", "빅데이터개발"}},
	} {
		for _, p := range r.patterns {
			if strings.Contains(t, p) {
				return r.role, ""
			}
		}
	}
	return "", ""
}
