package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// SignedForm is the scan of a printed form signed, sealed and dated in ink
// (附件1's 承诺人 block, 附件2's and 附件3's 申请人签字盖章), with the facts
// on it as the person uploading it entered them.
type SignedForm struct {
	ID           string    `json:"id" doc:"签字件编号"`
	Form         string    `json:"form" doc:"哪张表：attachment1（推荐表）、attachment2（登记变更表）、attachment3（移出情况表）"`
	ChangeID     *string   `json:"change_id" doc:"附件2 所属的变更申请编号"`
	FormRevision int       `json:"form_revision,omitempty" doc:"附件1：上传时申请现行的推荐表版本（打印件上印有其所打印的版本，两者不同的，扫描件不是现行推荐表）"`
	Signer       string    `json:"signer" doc:"签字人（附件1 的承诺人，附件2、附件3 的申请人或法人代表）"`
	SignedOn     string    `json:"signed_on" doc:"签字日期，YYYY-MM-DD"`
	SealPresent  bool      `json:"seal_present" doc:"是否已盖章"`
	Name         string    `json:"name" doc:"扫描件文件名"`
	ContentType  string    `json:"content_type" doc:"扫描件格式（按内容判断）"`
	Size         int64     `json:"size" doc:"字节数"`
	SHA256       string    `json:"sha256" doc:"扫描件的 SHA-256"`
	UploadedAt   time.Time `json:"uploaded_at" doc:"上传时间"`
	UploadedRole string    `json:"uploaded_role" doc:"上传人的角色"`
}

// formNames are the forms as a history line names them.
var formNames = map[string]string{"attachment1": "附件1 推荐表", "attachment2": "附件2 登记变更表", "attachment3": "附件3 移出情况表"}

// SaveSignedForm stores a signed scan of an application's form (附件1,
// applicationID set) or a brand's (附件2/附件3, brandID set) with a line in
// the record's history and an audit row, in one transaction. It returns the
// scan on record: one of f.ID stored already (a request retried after its
// answer was lost) is answered as it stands, and nothing is written again.
// A holder's new scan that would pass SignedFormQuota is refused with
// ErrQuotaReached.
func (s *Store) SaveSignedForm(ctx context.Context, f SignedForm, applicationID, brandID string, data []byte, actor string) (SignedForm, error) {
	seal := "未盖章"
	if f.SealPresent {
		seal = "已盖章"
	}
	var stored SignedForm
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		var app, brand *string
		object, id := "application", applicationID
		if applicationID != "" {
			app = &applicationID
		} else {
			brand, object, id = &brandID, "brand", brandID
		}
		// Under the lock of the record's scans taken first, as an
		// attachment is stored: the same request retried while its first
		// attempt stored the quota's last scan finds it on record here, not
		// a quota it filled itself.
		if err := lockFiles(ctx, tx, "signed_forms", id); err != nil {
			return err
		}
		name := formNames[f.Form]
		if app != nil {
			if err := tx.QueryRow(ctx, `SELECT form_revision FROM applications WHERE id = $1`, applicationID).Scan(&f.FormRevision); err != nil {
				return err
			}
			name += fmt.Sprintf("（上传时现行第%d版）", f.FormRevision)
		}
		note := fmt.Sprintf("%s签字件：%s签字，%s，%s（%s）", name, f.Signer, f.SignedOn, seal, f.Name)
		var known bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM signed_forms WHERE id = $1)`, f.ID).Scan(&known); err != nil {
			return err
		}
		if !known && f.UploadedRole == "applicant" {
			if err := withinQuota(ctx, tx, "signed_forms", objectColumn(object), id, "uploaded_role = 'applicant'", f.Size, SignedFormQuota); err != nil {
				return err
			}
		}
		tag, err := tx.Exec(ctx, `INSERT INTO signed_forms (id, form, application_id, brand_id, change_id, signer, signed_on, seal_present,
				name, content_type, size, sha256, data, uploaded_at, uploaded_by, uploaded_role, form_revision)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, nullif($17, 0)) ON CONFLICT (id) DO NOTHING`,
			f.ID, f.Form, app, brand, f.ChangeID, f.Signer, f.SignedOn, f.SealPresent, f.Name, f.ContentType, f.Size, f.SHA256, data,
			f.UploadedAt, actor, f.UploadedRole, f.FormRevision)
		if err != nil {
			return fmt.Errorf("save signed form %s: %w", f.ID, err)
		}
		if tag.RowsAffected() == 0 {
			return tx.QueryRow(ctx, `SELECT `+signedFormCols+` FROM signed_forms WHERE `+objectColumn(object)+` = $1 AND id = $2`, id, f.ID).
				Scan(&stored.ID, &stored.Form, &stored.ChangeID, &stored.FormRevision, &stored.Signer, &stored.SignedOn, &stored.SealPresent, &stored.Name,
					&stored.ContentType, &stored.Size, &stored.SHA256, &stored.UploadedAt, &stored.UploadedRole)
		}
		stored = f
		events := "application_events (application_id"
		if object == "brand" {
			events = "brand_events (brand_id"
		}
		_, err = tx.Exec(ctx, `INSERT INTO `+events+`, at, actor, role, action, note, dedupe_key)
			VALUES ($1, $2, $3, $4, 'signed_form.received', $5, $6)`, id, f.UploadedAt, actor, f.UploadedRole, note, "signed_form/"+f.ID)
		if err != nil {
			return fmt.Errorf("history of signed form %s: %w", f.ID, err)
		}
		return AppendAudit(ctx, tx, AuditEntry{At: f.UploadedAt, Actor: actor, Role: f.UploadedRole, Action: object + ".signed_form",
			ObjectType: object, ObjectID: id, After: f})
	})
	return stored, notFound(err)
}

const signedFormCols = `id, form, change_id, coalesce(form_revision, 0), signer, to_char(signed_on, 'YYYY-MM-DD'), seal_present, name, content_type, size, sha256,
	uploaded_at, uploaded_role`

// signedFormsSQL lists the signed scans of an application ("application") or
// a brand ("brand"), oldest first.
func signedFormsSQL(objectType string) string {
	return `SELECT ` + signedFormCols + ` FROM signed_forms WHERE ` + objectColumn(objectType) + ` = $1 ORDER BY uploaded_at, id`
}

// GetSignedForm reads one signed scan of an application or a brand, and
// its file.
func (s *Store) GetSignedForm(ctx context.Context, objectType, objectID, id string) (SignedForm, []byte, error) {
	var f SignedForm
	var data []byte
	err := s.pool.QueryRow(ctx, `SELECT `+signedFormCols+`, data FROM signed_forms WHERE `+objectColumn(objectType)+` = $1 AND id = $2`,
		objectID, id).Scan(&f.ID, &f.Form, &f.ChangeID, &f.FormRevision, &f.Signer, &f.SignedOn, &f.SealPresent, &f.Name, &f.ContentType, &f.Size,
		&f.SHA256, &f.UploadedAt, &f.UploadedRole, &data)
	return f, data, notFound(err)
}

func objectColumn(objectType string) string {
	if objectType == "brand" {
		return "brand_id"
	}
	return "application_id"
}
