package console

import (
	"testing"

	"github.com/kunming-hrss/laborbrand/store"
)

// RULES §3 (files kept are bounded): the upload page refuses, before the
// first piece, a file the API would refuse for the application's quota.
func TestUploadStartChecksTheApplicationsQuota(t *testing.T) {
	q := store.AttachmentQuota
	full := make([]store.Attachment, q.Files)
	if withinQuota(full, 1) {
		t.Errorf("a file past %d files was let through", q.Files)
	}
	if !withinQuota(full[:q.Files-1], 1) {
		t.Errorf("the %dth file was refused", q.Files)
	}
	big := []store.Attachment{{Size: q.Bytes - 100}}
	if withinQuota(big, 101) || !withinQuota(big, 100) {
		t.Errorf("the %d bytes' bound is not where it should be", q.Bytes)
	}
}
