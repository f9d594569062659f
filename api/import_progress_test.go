package api_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/internal/brandimport"
	"github.com/kunming-hrss/laborbrand/internal/dev/stacktest"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
)

type importProgress struct {
	Sheet                                                    string
	DryRun                                                   bool `json:"dry_run"`
	Rows, Checked, Valid, Started, Already, Failed, Recorded int
	Done                                                     bool
}

// Issue 14 item 4: an import is watched while it runs, by the SHA-256 of
// its sheet, which the client knows before the import answers: its counts
// only grow, and once the import answers they are the answer's, done. The
// same sheet again shows a run that started nothing (it changes nothing).
// Only those who may import watch, and only by a well-formed hash.
func TestDecision_Import_ProgressIsWatchedByTheSheetsHash(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-11-30", 1)})
	city := stacktest.Token(t, auth.Principal{Sub: "city-taskforce", Role: auth.CityOfficer})
	var buf bytes.Buffer
	if err := brandimport.WriteSheet(&buf, importedBrands(runTag(t))); err != nil {
		t.Fatal(err)
	}
	sheet := buf.Bytes()
	sum := sha256.Sum256(sheet)
	hash := hex.EncodeToString(sum[:])
	path := "/api/v1/brands/import/progress?sheet=" + hash
	if r := s.Do("GET", path, city, nil); r.Status != 404 {
		t.Fatalf("progress before any upload: %d %s", r.Status, r.Body)
	}

	type answer struct {
		status int
		a      importAnswer
	}
	answered := make(chan answer, 1)
	go func() {
		st, a := uploadSheet(t, s, city, false, sheet)
		answered <- answer{st, a}
	}()
	var last importProgress
	var got answer
	for watching := true; watching; {
		select {
		case got = <-answered:
			watching = false
		case <-time.After(20 * time.Millisecond):
		}
		r := s.Do("GET", path, city, nil)
		if r.Status == 404 { // the upload is still being read
			continue
		}
		var p importProgress
		if r.Status != 200 {
			t.Fatalf("progress: %d %s", r.Status, r.Body)
		}
		r.JSON(t, &p)
		if p.Rows != 3 || p.Checked > p.Rows || p.Recorded > p.Started || p.Started+p.Already+p.Failed > p.Rows || p.DryRun {
			t.Fatalf("progress out of bounds: %+v", p)
		}
		if p.Checked < last.Checked || p.Started < last.Started || p.Recorded < last.Recorded {
			t.Fatalf("progress went back: %+v after %+v", p, last)
		}
		last = p
	}
	if got.status != 200 || got.a.Imported != 3 {
		t.Fatalf("import: %d %+v", got.status, got.a)
	}
	if !last.Done || last.Checked != 3 || last.Valid != 3 || last.Started != 3 || last.Recorded != got.a.Recorded || last.Sheet != hash {
		t.Errorf("progress once answered: %+v, answer %+v", last, got.a)
	}

	if st, again := uploadSheet(t, s, city, false, sheet); st != 200 || again.Imported != 0 || again.Already != 3 {
		t.Fatalf("second import: %d %+v", st, again)
	}
	var p importProgress
	expect(t, s.Do("GET", path, city, nil), 200, "progress of the second import")
	s.Do("GET", path, city, nil).JSON(t, &p)
	if !p.Done || p.Started != 0 || p.Already != 3 || p.Recorded != 0 {
		t.Errorf("progress of the second import: %+v", p)
	}

	admin := stacktest.Token(t, auth.Principal{Sub: "admin", Role: auth.Admin})
	expect(t, s.Do("GET", path, admin, nil), 200, "the administrator watches")
	county := stacktest.Token(t, auth.Principal{Sub: "officer-anning", Role: auth.CountyOfficer, County: "530181"})
	if r := s.Do("GET", path, county, nil); r.Status != 403 {
		t.Errorf("a county officer watches: %d", r.Status)
	}
	for _, bad := range []string{"", "abc", hash[:63] + "G", "ABCDEF" + hash[6:]} {
		if r := s.Do("GET", "/api/v1/brands/import/progress?sheet="+bad, city, nil); r.Status != 422 {
			t.Errorf("sheet %q: %d, want 422", bad, r.Status)
		}
	}
}
