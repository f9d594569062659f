// Package records holds what laborbrand's processes hand to their
// activities and keep in their histories: the steps they record, the
// standing and work-queue entries a step writes, and the requests for draws,
// notifications and deliveries. It is plain data with JSON names that
// recorded histories depend on (rename a field and old histories no longer
// decode it), and it imports no database or HTTP code, so the workflows that
// use it stay free of I/O by construction.
package records

import (
	"time"

	"github.com/kunming-hrss/laborbrand/calendar"
)

// Step is one recorded step of an application: its history line, the stage
// and deadlines after it, and the audit row — written once per Key.
type Step struct {
	ApplicationID string              `json:"application_id" doc:"申请编号"`
	Key           string              `json:"key"` // dedupe key, e.g. the Update ID
	At            time.Time           `json:"at" doc:"时间"`
	Actor         string              `json:"actor" doc:"办理人（人员编号或 system）"`
	Role          string              `json:"role" enum:"actor_role" doc:"办理人的角色"`
	Action        string              `json:"action" doc:"办理事项"`
	Note          string              `json:"note,omitempty" doc:"说明"`
	Stage         string              `json:"stage" enum:"stage" doc:"申请所处阶段"`
	Deadlines     []calendar.Deadline `json:"deadlines" doc:"正在计时的期限"`
	NoticeStart   calendar.Date       `json:"notice_start" format:"date" doc:"公示开始日"`
	NoticeEnd     calendar.Date       `json:"notice_end" format:"date" doc:"公示截止日（含当日）"`
	Audit         any                 `json:"audit,omitempty"` // extra detail for the audit row
	// Tasks replaces the application's work-queue entries; nil leaves them.
	Tasks []Task `json:"tasks"`
	// Rules are the running deadlines' rules (as BrandStep.Rules).
	Rules []DeadlineRule `json:"rules"`
	// RunID is the run that took the step (as BrandStep.RunID).
	RunID string `json:"run_id,omitempty"`
}

// Task is one work-queue entry a step writes: who must act on which object
// by when (docs/API.md GET /api/v1/tasks).
type Task struct {
	Kind        string    `json:"kind" doc:"待办事项的类型"`
	ObjectType  string    `json:"object_type" doc:"所涉对象：application 或 brand"`
	ObjectID    string    `json:"object_id" doc:"所涉申请或品牌的编号"`
	BrandName   string    `json:"brand_name" doc:"劳务品牌名称"`
	CountyCode  string    `json:"county_code" doc:"县（市、区）行政区划代码（初审单位）"`
	Audience    string    `json:"audience" doc:"办理角色"`
	Assignee    string    `json:"assignee,omitempty" doc:"指定办理人（专家编号或申报单位的统一社会信用代码）"`
	Due         string    `json:"due" format:"date" doc:"期限（含当日），按工作日历计算"`
	DueAt       time.Time `json:"due_at" doc:"期限届满的时刻（北京时间次日零时）"`
	Provisional bool      `json:"provisional" doc:"按暂定日历计算：该年节假日安排尚未公布，公布后可能调整"`
}
