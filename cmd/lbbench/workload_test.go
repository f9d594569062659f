package main

import (
	"testing"

	"github.com/kunming-hrss/laborbrand/api/client"
)

// 第十二条 (opinions are independent): an expert's answer to its opinion
// lists its own seat only. The run keeps the other drawn experts' seats, so
// the next two opinions are sent and 复审 waits for the quorum — before, the
// one seat replaced the five and every 复审 was refused (409 expert_quorum),
// leaving no application to reach its notice.
func TestAnExpertsAnswerKeepsTheOtherSeats(t *testing.T) {
	a := &app{stage: "city_review"}
	five := client.Application{Stage: "city_review"}
	for _, id := range []string{"E1", "E2", "E3", "E4", "E5"} {
		five.Experts = append(five.Experts, client.ExpertOnApp{Id: id})
	}
	a.apply(&five)
	own := client.Application{Stage: "city_review", Experts: []client.ExpertOnApp{{Id: "E1", Opinion: &client.ExpertOpinion{}}}}
	a.apply(&own)
	if len(a.experts) != 5 || a.opinions() != 1 || !a.experts[0].Opinion {
		t.Errorf("after E1's own answer: seats %+v, want five with E1's opinion", a.experts)
	}
}
