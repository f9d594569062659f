package main

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/client"
	"golang.org/x/sync/errgroup"

	lbclient "github.com/kunming-hrss/laborbrand/api/client"
	"github.com/kunming-hrss/laborbrand/internal/dev/apiclient"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/internal/platform/config"
	"github.com/kunming-hrss/laborbrand/workflows"
)

func runScale(cfg config.Config, args []string) error {
	fs := flag.NewFlagSet("scale", flag.ExitOnError)
	dataDir := fs.String("data-dir", "/tmp/lbscale", "the dev stack's data dir (secret, postgres.port)")
	base := fs.String("api", "http://127.0.0.1:18095", "API base URL")
	taddr := fs.String("temporal", "127.0.0.1:17295", "Temporal frontend")
	pid := fs.Int("pid", 0, "pid of `laborbrand dev` (its process tree is measured)")
	n := fs.Int("brands", 10000, "admitted brands to seed")
	conc := fs.Int("concurrency", 16, "concurrent workflow starts / HTTP decisions")
	affected := fs.Int("affected", 1000, "brands given a rectification deadline that the calendar revision moves")
	readSecs := fs.Int("read-seconds", 30, "duration of the API latency phase")
	readConc := fs.Int("read-concurrency", 8, "clients in the latency phase")
	rate := fs.Float64("decision-rate", 0, "brands decided a second (a finding, then the interview), each on time whether or not the ones before have answered, "+
		"with --read-concurrency clients reading meanwhile: the mixed load; 0 = --concurrency clients deciding as fast as they are answered, nothing else")
	prefix := fs.String("prefix", "SC", "tag of the seeded brands' names and holders (规模品牌<prefix>1 …); another prefix seeds other brands")
	sheetRows := fs.Int("sheet-rows", 2000, "rows per uploaded sheet")
	memOnly := fs.Bool("memory-only", false, "stop after the memory with the brands open (no reads, decisions or revision); run again with another --prefix to add more brands")
	fs.Parse(args)
	if *pid == 0 {
		return fmt.Errorf("--pid of laborbrand dev is required")
	}
	ctx := context.Background()
	secret, err := auth.LoadSecret(cfg.JWTSecret, *dataDir, false)
	if err != nil {
		return err
	}
	api := newAPI(*base, secret)
	url, err := dbURL(cfg.DatabaseURL, *dataDir)
	if err != nil {
		return err
	}
	db, err := pgxpool.New(ctx, url)
	if err != nil {
		return err
	}
	defer db.Close()
	tc, err := dialTemporal(ctx, *taddr)
	if err != nil {
		return err
	}
	defer tc.Close()

	logf("memory before seeding: %s", takeMem(*pid))

	// 1–2. The brands come in as a bureau's sheet brings them (POST
	// /api/v1/brands/import, --sheet-rows to a sheet): each valid row starts
	// its brand's process, whose first step writes the brand's record.
	rows := scaleRows(*prefix, *n)
	ids := make([]string, *n)
	for i, r := range rows {
		ids[i] = r.ID()
	}
	uploader := apiclient.New(*base, secret, 2).WithTimeout(30 * time.Minute)
	cityTok, err := uploader.Token(auth.Principal{Sub: "lbscale-city", Role: auth.CityOfficer})
	if err != nil {
		return err
	}
	cpu0 := takeCPU(*pid)
	t1 := time.Now()
	var next, failed atomic.Int64
	var firstErr atomic.Value
	done := make(chan struct{})
	go func() {
		defer close(done)
		for off := 0; off < *n; off += *sheetRows {
			part := rows[off:min(off+*sheetRows, *n)]
			a, err := importSheet(ctx, uploader, cityTok, part)
			next.Add(int64(len(part)))
			if err != nil || a.Imported+a.Already != len(part) {
				failed.Add(int64(len(part) - a.Imported - a.Already))
				firstErr.CompareAndSwap(nil, fmt.Sprintf("rows %d–%d: %v %v", off+1, off+len(part), err, a.Errors))
			}
			logf("  sheet of rows %d–%d: %d imported, %d already, %d errors; check %.1f s, start %.1f s, records %.1f s (%d recorded)",
				off+1, off+len(part), a.Imported, a.Already, len(a.Errors), a.Seconds.Check, a.Seconds.Start, a.Seconds.Record, a.Recorded)
		}
	}()
	// progress while starting and settling
	settled := func() int {
		var c int
		db.QueryRow(ctx, `SELECT count(*) FROM brands WHERE id = ANY($1) AND deadlines <> '[]'`, ids).Scan(&c)
		return c
	}
	var startDur time.Duration
	tick := time.NewTicker(5 * time.Second)
	for started := false; ; {
		select {
		case <-done:
			if !started {
				started = true
				startDur = time.Since(t1)
				logf("imported %d brands (their processes started) in %s (%.0f/s), %d failed %v", *n, startDur.Round(time.Millisecond),
					float64(*n)/startDur.Seconds(), failed.Load(), firstErr.Load())
			}
			done = nil
		case <-tick.C:
		}
		s := settled()
		logf("  uploaded %d, settled (admitted step recorded) %d", min(next.Load(), int64(*n)), s)
		if started && s >= *n-int(failed.Load()) {
			break
		}
		if started && time.Since(t1) > 30*time.Minute {
			return fmt.Errorf("not settled after 30 min")
		}
	}
	tick.Stop()
	settleDur := time.Since(t1)
	cpu1 := takeCPU(*pid)
	logf("RESULT seeding through the import: %d brands' processes started in %s (%.0f/s); all settled in %s (%.0f brands/s end to end); CPU during seeding: %s",
		*n, startDur.Round(time.Millisecond), float64(*n)/startDur.Seconds(), settleDur.Round(time.Millisecond),
		float64(*n)/settleDur.Seconds(), fmtCores(cores(cpu0, cpu1)))
	time.Sleep(10 * time.Second)
	logf("RESULT memory with %d brands open (10 s after seeding): %s", *n, takeMem(*pid))
	if *memOnly {
		return nil
	}

	// 3. API latency with them open.
	lat := newLatencies()
	cpu2 := takeCPU(*pid)
	readFor(ctx, api, ids, *readConc, lat, after(time.Duration(*readSecs)*time.Second))
	cpu3 := takeCPU(*pid)
	logf("RESULT API latency, %d clients for %d s with %d brands open; CPU %s\n%s", *readConc, *readSecs, *n,
		fmtCores(cores(cpu2, cpu3)), lat.table(float64(*readSecs)))

	// 4. A subset gets a rectification deadline: a level-2 finding
	// (major_info_not_reported), then the interview held today. The
	// three-month window ends next year (from October on), whose calendar
	// is still provisional.
	clock, err := lbclient.Expect(api.GetClockWithResponse(ctx))
	if err != nil {
		return fmt.Errorf("read the clock: %w", err)
	}
	today := clock.JSON200.Today
	step := max(*n/max(*affected, 1), 1)
	var sub []int
	for i := step; i <= *n && len(sub) < *affected; i += step {
		sub = append(sub, i)
	}
	dlat := newLatencies()
	var derr atomic.Value
	decide := func(i int) {
		id := ids[i-1]
		county := rows[i-1].CountyCode
		officer := auth.Principal{Sub: "lbscale-county-" + county, Role: auth.CountyOfficer, County: county}
		t := time.Now()
		f, err := api.FindingWithResponse(ctx, id, nil, lbclient.FindingRequest{Reason: lbclient.FindingReasonMajorInfoNotReported,
			Description: "未按规定报告重大事项（压测）"}, api.as(&officer))
		dlat.add("POST /brands/{id}/findings (level 2)", time.Since(t), status(f, err))
		if _, err := lbclient.Expect(f, err, 200); err != nil {
			derr.CompareAndSwap(nil, fmt.Sprintf("finding %s: %v", id, err))
			return
		}
		t = time.Now()
		iv, err := api.InterviewWithResponse(ctx, id, nil, lbclient.InterviewRequest{HeldOn: today, Note: "约谈记录（压测）"}, api.as(&officer))
		dlat.add("POST /brands/{id}/interview", time.Since(t), status(iv, err))
		if _, err := lbclient.Expect(iv, err, 200); err != nil {
			derr.CompareAndSwap(nil, fmt.Sprintf("interview %s: %v", id, err))
		}
	}
	t4 := time.Now()
	cpuD0 := takeCPU(*pid)
	if *rate > 0 {
		// The mixed load: a brand decided every 1/rate s, each on time
		// however long the ones before take (a closed loop would measure
		// only how many clients wait), while readers read.
		mixed := newLatencies()
		stop := make(chan struct{})
		readersDone := make(chan struct{})
		go func() {
			readFor(ctx, api, ids, *readConc, mixed, stop)
			close(readersDone)
		}()
		var dwg sync.WaitGroup
		for k, i := range sub {
			time.Sleep(time.Until(t4.Add(time.Duration(float64(k) / *rate * float64(time.Second)))))
			dwg.Add(1)
			go func() { defer dwg.Done(); decide(i) }()
		}
		dwg.Wait()
		close(stop)
		<-readersDone
		dsecs := time.Since(t4).Seconds()
		logf("RESULT the mixed load with %d brands open: %d brands decided (finding + interview) at %.1f a second, %d clients reading, in %.1f s; CPU %s; first error %v\n%s",
			*n, len(sub), *rate, *readConc, dsecs, fmtCores(cores(cpuD0, takeCPU(*pid))), derr.Load(), dlat.table(dsecs)+mixed.table(dsecs))
	} else {
		var dnext atomic.Int64
		var dwg sync.WaitGroup
		for range *conc {
			dwg.Add(1)
			go func() {
				defer dwg.Done()
				for k := int(dnext.Add(1)) - 1; k < len(sub); k = int(dnext.Add(1)) - 1 {
					decide(sub[k])
				}
			}()
		}
		dwg.Wait()
		dsecs := time.Since(t4).Seconds()
		logf("RESULT decisions on %d brands (finding + interview, %d concurrent) in %.1f s, first error %v\n%s",
			len(sub), *conc, dsecs, derr.Load(), dlat.table(dsecs))
	}
	subIDs := make([]string, len(sub))
	for k, i := range sub {
		subIDs[k] = ids[i-1]
	}
	var sample string
	db.QueryRow(ctx, `SELECT deadlines::text FROM brands WHERE id = $1`, subIDs[0]).Scan(&sample)
	logf("deadlines of %s before the revision: %s", subIDs[0], sample)

	// 5. The calendar revision: an official schedule for the year of the
	// affected deadlines (fictional, for the benchmark), which makes their
	// due days days off and changes nothing else.
	admin := auth.Principal{Sub: "lbscale-admin", Role: auth.Admin}
	rev, err := revisionMoving(ctx, api, &admin, db, subIDs)
	if err != nil {
		return err
	}
	logf("the revision: %s", rev)
	// The brands the revision does not move must do no work at all: their
	// histories (every workflow task writes events) are measured before and
	// after, all of them.
	affectedSet := map[string]bool{}
	for _, id := range subIDs {
		affectedSet[id] = true
	}
	var others []string
	for _, id := range ids {
		if !affectedSet[id] {
			others = append(others, id)
		}
	}
	th := time.Now()
	othersBefore, err := historyLengths(ctx, tc, others, *conc)
	if err != nil {
		return err
	}
	affectedBefore, err := historyLengths(ctx, tc, subIDs, *conc)
	if err != nil {
		return err
	}
	logf("history lengths of %d unaffected and %d affected brands read in %s", len(others), len(subIDs), time.Since(th).Round(time.Millisecond))
	mem4 := takeMem(*pid)
	cpu4 := takeCPU(*pid)
	t5 := time.Now()
	cal, err := lbclient.Expect(api.PutCalendarYearWithResponse(ctx, strconv.Itoa(rev.year), nil, rev.body, api.as(&admin)))
	if err != nil {
		return fmt.Errorf("load the %d calendar: %w", rev.year, err)
	}
	putDur := time.Since(t5)
	v := cal.JSON200.CalendarVersion
	logf("PUT /calendar/years/%d answered in %s: version %d", rev.year, putDur.Round(time.Millisecond), v)
	type fan struct {
		n   int
		d   time.Duration
		err error
	}
	fanCh := make(chan fan, 1)
	go func() {
		var cnt int
		err := tc.GetWorkflow(ctx, workflows.CalendarFanoutWorkflowID(workflows.TaskQueue, v), "").Get(ctx, &cnt)
		fanCh <- fan{cnt, time.Since(t5), err}
	}()
	var fo *fan
	var reached time.Duration
	idle := 0
	prev := takeCPU(*pid)
	var quiet time.Duration
	for time.Since(t5) < 20*time.Minute {
		time.Sleep(time.Second)
		select {
		case f := <-fanCh:
			fo = &f
			logf("fan-out workflow %s completed after %s: %d processes told (err %v)",
				workflows.CalendarFanoutWorkflowID(workflows.TaskQueue, v), f.d.Round(time.Millisecond), f.n, f.err)
		default:
		}
		var c int
		db.QueryRow(ctx, `SELECT count(*) FROM brands WHERE id = ANY($1) AND deadlines @> jsonb_build_array(jsonb_build_object('calendar_version', $2::int))`,
			subIDs, v).Scan(&c)
		if reached == 0 && c >= len(subIDs) {
			reached = time.Since(t5)
			logf("all %d affected brands show calendar_version %d in brands.deadlines after %s", c, v, reached.Round(time.Millisecond))
		}
		now := takeCPU(*pid)
		cc := cores(prev, now)
		prev = now
		if reached == 0 || fo == nil {
			logf("  affected brands re-armed: %d/%d; CPU %s", c, len(subIDs), fmtCores(cc))
		}
		if fo != nil && reached > 0 {
			if cc["laborbrand"]+cc["temporal"] < 0.10 {
				idle++
			} else {
				idle = 0
			}
			if idle >= 3 {
				quiet = time.Since(t5) - 3*time.Second
				break
			}
		}
	}
	cpu5 := takeCPU(*pid)
	var foN int
	var foD time.Duration
	if fo != nil {
		foN, foD = fo.n, fo.d
	}
	logf("RESULT calendar revision (v%d): PUT %s; fan-out workflow done after %s, told %d; all %d affected brands re-armed in PostgreSQL after %s; worker and Temporal idle again after %s; CPU meanwhile %s",
		v, putDur.Round(time.Millisecond), foD.Round(time.Millisecond), foN, len(subIDs), reached.Round(time.Millisecond), quiet.Round(time.Second), fmtCores(cores(cpu4, cpu5)))
	db.QueryRow(ctx, `SELECT deadlines::text FROM brands WHERE id = $1`, subIDs[0]).Scan(&sample)
	logf("deadlines of %s after the revision: %s", subIDs[0], sample)
	othersAfter, err := historyLengths(ctx, tc, others, *conc)
	if err != nil {
		return err
	}
	affectedAfter, err := historyLengths(ctx, tc, subIDs, *conc)
	if err != nil {
		return err
	}
	grewN, grewEvents := historyGrowth(othersBefore, othersAfter)
	aN, aEvents := historyGrowth(affectedBefore, affectedAfter)
	logf("RESULT workflow histories across the revision: %d of %d unaffected brands grew (%d events in all); %d of %d affected brands grew (%d events in all, %.1f each)",
		grewN, len(others), grewEvents, aN, len(subIDs), aEvents, float64(aEvents)/float64(max(len(subIDs), 1)))
	logf("RESULT memory before revision: %s", mem4)
	logf("RESULT memory after revision: %s", takeMem(*pid))
	return nil
}

// historyLengths reads the history length (events) of each brand's
// process, conc at a time.
func historyLengths(ctx context.Context, tc client.Client, ids []string, conc int) (map[string]int64, error) {
	out := make(map[string]int64, len(ids))
	var mu sync.Mutex
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(conc)
	for _, id := range ids {
		g.Go(func() error {
			d, err := tc.DescribeWorkflowExecution(ctx, workflows.BrandWorkflowID(id), "")
			if err != nil {
				return fmt.Errorf("describe %s: %w", id, err)
			}
			mu.Lock()
			out[id] = d.WorkflowExecutionInfo.HistoryLength
			mu.Unlock()
			return nil
		})
	}
	return out, g.Wait()
}

// historyGrowth counts the processes whose history grew, and by how many
// events in all.
func historyGrowth(before, after map[string]int64) (grew int, events int64) {
	for id, b := range before {
		if a := after[id]; a != b {
			grew++
			events += a - b
		}
	}
	return grew, events
}

// readFor runs clients readers of the reads a city officer and the public
// make most, each as soon as the one before is answered, until stop is
// closed, and adds their latencies to lat.
func readFor(ctx context.Context, api *apiClient, ids []string, clients int, lat *latencies, stop <-chan struct{}) {
	city := auth.Principal{Sub: "lbscale-city", Role: auth.CityOfficer}
	running := func() bool {
		select {
		case <-stop:
			return false
		default:
			return true
		}
	}
	var wg sync.WaitGroup
	for w := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			for k := w; running(); k++ {
				as := api.as(&city)
				var ep string
				var read func() int
				switch k % 4 {
				case 0:
					ep = "GET /brands?county=530181"
					county := "530181"
					read = func() int {
						return status(api.ListBrandsWithResponse(ctx, &lbclient.ListBrandsParams{County: &county}, as))
					}
				case 1:
					ep = "GET /brands/{id}"
					id := ids[rng.IntN(len(ids))]
					read = func() int { return status(api.GetBrandWithResponse(ctx, id, as)) }
				case 2:
					ep = "GET /tasks (city officer)"
					read = func() int { return status(api.ListTasksWithResponse(ctx, nil, as)) }
				case 3:
					ep = "GET /public/announcements"
					read = func() int { return status(api.ListAnnouncementsWithResponse(ctx, nil)) }
				}
				t := time.Now()
				st := read()
				lat.add(ep, time.Since(t), st)
			}
		}()
	}
	wg.Wait()
}

// after is a channel closed once d has passed.
func after(d time.Duration) <-chan struct{} {
	c := make(chan struct{})
	time.AfterFunc(d, func() { close(c) })
	return c
}
