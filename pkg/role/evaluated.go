package role

import (
	_ "embed"
	"encoding/json"
	"fmt"
)

// Figures are the micro precision and recall of one kind of class (the data
// roles, or the comparison groups) on one labelled set.
type Figures struct {
	Labelled  int     `json:"labelled"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
}

// SetFigures are Classify's figures on one labelled set.
type SetFigures struct {
	Cases  int     `json:"cases"`
	Roles  Figures `json:"roles"`
	Groups Figures `json:"groups"`
}

// Evaluation is Classify measured on the set its rules were written from
// (Training) and on the held-out set no rule was written from (HeldOut).
type Evaluation struct {
	Training SetFigures `json:"training"`
	HeldOut  SetFigures `json:"held_out"`
}

// Figures sums a report into SetFigures, rounded to three decimals.
func (rep Report) Figures() SetFigures {
	f := func(k Counts) Figures {
		return Figures{Labelled: k.TP + k.FN, Precision: round3(k.Precision()), Recall: round3(k.Recall())}
	}
	return SetFigures{Cases: rep.Cases, Roles: f(rep.Micro), Groups: f(rep.GroupMicro)}
}

func round3(x float64) float64 { return float64(int(x*1000+0.5)) / 1000 }

//go:embed evaluation.json
var evaluationJSON []byte

// Evaluated returns the figures TestEvaluationFile checks against the
// labelled sets on every test run (evaluation.json), so a reader of the
// classifier's output can state how well it does without the test data.
func Evaluated() (Evaluation, error) {
	var e Evaluation
	if err := json.Unmarshal(evaluationJSON, &e); err != nil {
		return Evaluation{}, fmt.Errorf("role.Evaluated: %w", err)
	}
	return e, nil
}
