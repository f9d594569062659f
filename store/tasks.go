package store

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/records"
)

// Task is one pending action in a work queue as the API shows it (API.md
// GET /api/v1/tasks): the entry a process's step wrote, whether it is
// overdue, and where to act.
type Task struct {
	records.Task
	// PlaceCode is where the brand is: its county, or the functional zone
	// whose bureau (CountyCode) acts on it (RULES §1).
	PlaceCode string `json:"place_code" doc:"所涉申请或品牌所在的县（市、区）或功能区的代码；功能区的事项由其初审单位（county_code）办理"`
	Overdue   bool   `json:"overdue" doc:"已逾期"`
	Link      string `json:"link" doc:"办理该事项的接口路径"`
}

// queueReplaceTasks queues the rewrite of one object's open tasks (in a
// step's transaction).
func queueReplaceTasks(w *writes, objectType, objectID string, tasks []records.Task) {
	if tasks == nil {
		return // the step says nothing about tasks
	}
	w.exec("clear tasks of "+objectID, `DELETE FROM tasks WHERE object_type = $1 AND object_id = $2`, objectType, objectID)
	for _, t := range tasks {
		if t.Kind == "" {
			continue // an empty marker: "no tasks"
		}
		w.exec("save task "+t.Kind+" of "+objectID, `INSERT INTO tasks (object_type, object_id, kind, audience, county_code, assignee, brand_name, due, due_at, provisional)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING`,
			objectType, objectID, t.Kind, t.Audience, t.CountyCode, t.Assignee, t.BrandName, t.Due, t.DueAt, t.Provisional)
	}
}

// TaskFilter selects a caller's work queue.
type TaskFilter struct {
	Audience string // role
	County   string // county officers: their county (its zones' tasks too)
	// Place narrows to the tasks about applications and brands in one
	// county or functional zone (a list's ?county=, exact as the brand
	// lists' is).
	Place    string
	Assignee string // experts: their id; holders: their USCC
	All      bool   // supervisors: every role
	Overdue  *bool
	// Kind is a task kind; a keyed kind (objection_ruling, change, …)
	// also selects its keyed entries (objection_ruling:<id>).
	Kind string
	// Stage is the stage of the application an application task is about
	// (RULES §3), or the status of the brand a brand task is about (RULES
	// §4): the two vocabularies share no value.
	Stage string
	Now   time.Time
	Limit int
	// After continues the queue after this entry (an export reads it a
	// page at a time); nil starts at the soonest.
	After *Task
}

// Tasks lists a work queue, soonest due first. Reports awaiting triage come
// from the reports table itself.
func (s *Store) Tasks(ctx context.Context, f TaskFilter) ([]Task, error) {
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 200
	}
	return s.tasks(ctx, f)
}

// tasks reads f.Limit entries of a work queue, as bounded by its callers.
func (s *Store) tasks(ctx context.Context, f TaskFilter) ([]Task, error) {
	args := append(f.whereArgs(), f.Limit)
	after := ""
	if a := f.After; a != nil {
		after = `AND (due_at, object_type, object_id, kind, audience, assignee) > ($11, $12, $13, $14, $15, $16)`
		args = append(args, a.DueAt, a.ObjectType, a.ObjectID, a.Kind, a.Audience, a.Assignee)
	}
	rows, err := s.pool.Query(ctx, `
		SELECT kind, object_type, object_id, brand_name, county_code, `+taskPlace+`, audience, assignee,
		       to_char(due, 'YYYY-MM-DD'), due_at, provisional, due_at <= $6
		FROM tasks
		WHERE `+taskWhere+` `+after+`
		ORDER BY due_at, object_type, object_id, kind, audience, assignee LIMIT $10`, args...)
	if err != nil {
		return nil, err
	}
	tasks, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Task, error) {
		var t Task
		err := r.Scan(&t.Kind, &t.ObjectType, &t.ObjectID, &t.BrandName, &t.CountyCode, &t.PlaceCode, &t.Audience, &t.Assignee,
			&t.Due, &t.DueAt, &t.Provisional, &t.Overdue)
		t.Link = fmt.Sprintf("/api/v1/%ss/%s", t.ObjectType, t.ObjectID)
		t.DueAt = t.DueAt.In(calendar.Shanghai) // API.md: due_at is next day 00:00 +08:00
		return t, err
	})
	return tasks, err
}

// TaskPage is one page of a work queue (GET /api/v1/tasks?cursor=): the
// f.Limit soonest after the page that gave out cursor ("" starts at the
// soonest), and the cursor of the next page ("" after the last).
func (s *Store) TaskPage(ctx context.Context, f TaskFilter, cursor string) ([]Task, string, error) {
	if cursor != "" {
		after, err := decodeTaskCursor(cursor)
		if err != nil {
			return nil, "", err
		}
		f.After = after
	}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 200
	}
	limit := f.Limit
	f.Limit++ // one more tells whether a next page exists
	tasks, err := s.tasks(ctx, f)
	if err != nil || len(tasks) <= limit {
		return nonNilSlice(tasks), "", err
	}
	tasks = tasks[:limit]
	return tasks, encodeTaskCursor(tasks[limit-1]), nil
}

// A work queue's cursor is opaque to clients: base64url of the JSON of the
// last entry's place in the queue's order — its due instant, then the
// table's key (object_type, object_id, kind, audience, assignee: the drawn
// experts' opinions on one application tie on all but the last); an
// object's id and a keyed kind may hold any separator.
func encodeTaskCursor(t Task) string {
	raw, _ := json.Marshal([]string{t.DueAt.UTC().Format(time.RFC3339Nano), t.ObjectType, t.ObjectID, t.Kind, t.Audience, t.Assignee})
	return base64.RawURLEncoding.EncodeToString(raw)
}

func decodeTaskCursor(c string) (*Task, error) {
	raw, err := base64.RawURLEncoding.DecodeString(c)
	var place []string
	if err != nil || json.Unmarshal(raw, &place) != nil || len(place) != 6 {
		return nil, ErrBadCursor
	}
	at, err := time.Parse(time.RFC3339Nano, place[0])
	if err != nil || at.Year() < 1 || at.Year() > 9999 {
		return nil, ErrBadCursor
	}
	for _, key := range place[1:] {
		if !plausibleCursorID(key) {
			return nil, ErrBadCursor
		}
	}
	var t Task
	t.DueAt, t.ObjectType, t.ObjectID, t.Kind, t.Audience, t.Assignee = at, place[1], place[2], place[3], place[4], place[5]
	return &t, nil
}

// objectPlace is where the application or brand a row of table is about
// is: null for another object.
func objectPlace(table string) string {
	return `(CASE ` + table + `.object_type
		WHEN 'application' THEN (SELECT a.county_code FROM applications a WHERE a.id = ` + table + `.object_id)
		WHEN 'brand' THEN (SELECT b.county_code FROM brands b WHERE b.id = ` + table + `.object_id) END)`
}

// taskPlace is where a task's application or brand is; a task stores
// only the bureau that acts on it.
var taskPlace = `coalesce(` + objectPlace("tasks") + `, tasks.county_code)`

// taskWhere selects a TaskFilter's tasks; its parameters are whereArgs.
var taskWhere = `($1 OR audience = $2) AND ($3 = '' OR county_code = $3) AND ($4 = '' OR assignee = $4)
		  AND ($9 = '' OR ` + taskPlace + ` = $9)
		  AND ($5 = '' OR kind = $5 OR starts_with(kind, $5 || ':'))
		  AND ($7 = '' OR ($7 = 'yes') = (due_at <= $6))
		  AND ($8 = ''
		       OR (object_type = 'application' AND EXISTS (SELECT 1 FROM applications a WHERE a.id = tasks.object_id AND a.stage = $8))
		       OR (object_type = 'brand' AND EXISTS (SELECT 1 FROM brands b WHERE b.id = tasks.object_id AND b.status = $8)))`

// CountTasks is how many tasks f selects, all pages together (f.Limit and
// f.After are not read): the work queue says "显示 N 条，共 M 条".
func (s *Store) CountTasks(ctx context.Context, f TaskFilter) (int, error) {
	var n int
	err := s.pool.QueryRow(ctx, `SELECT count(*) FROM tasks WHERE `+taskWhere, f.whereArgs()...).Scan(&n)
	return n, err
}

// whereArgs are taskWhere's $1…$9: all, audience, county, assignee, kind,
// now, overdue ("", yes, no), stage, place.
func (f TaskFilter) whereArgs() []any {
	overdue := ""
	if f.Overdue != nil {
		overdue = map[bool]string{true: "yes", false: "no"}[*f.Overdue]
	}
	return []any{f.All, f.Audience, f.County, f.Assignee, f.Kind, f.Now, overdue, f.Stage, f.Place}
}
