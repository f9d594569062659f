package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Attachment describes an uploaded file (第十条: overview, pictures, video).
type Attachment struct {
	ID          string    `json:"id" doc:"编号"`
	Kind        string    `json:"kind" enum:"attachment_kind" doc:"材料类型"`
	Name        string    `json:"name" doc:"文件名"`
	ContentType string    `json:"content_type" doc:"按文件内容判断的媒体类型"`
	Size        int64     `json:"size" doc:"字节数"`
	SHA256      string    `json:"sha256" doc:"文件内容的 SHA-256（十六进制）"`
	CreatedAt   time.Time `json:"created_at" doc:"创建时间"`
}

// SaveAttachment stores a file of a.Size bytes read from data, with its
// audit row, and returns the file on record: one of a.ID stored already (a
// request retried after its answer was lost) is answered as it stands, and
// nothing is written again. A new file that would pass AttachmentQuota is
// refused with ErrQuotaReached. The bytes go to PostgreSQL as they are read
// (attachmentCopy), never held whole: a video is 200 MB. A new file is
// stored only while the application is in one of stages, read under its
// row's share lock — a 初审 decided while the file was read (FilesTakenError)
// is not followed by a file the county never saw.
func (s *Store) SaveAttachment(ctx context.Context, appID string, a Attachment, data io.Reader, stages []string, actor, role string) (Attachment, error) {
	if a.Size < 0 || a.Size > maxAttachment {
		return Attachment{}, fmt.Errorf("attachment %s: %d bytes", a.ID, a.Size)
	}
	var stored Attachment
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		// Under the lock of the application's files: the same request
		// retried while its first attempt was storing finds the file on
		// record here, not a quota it filled or a second copy to send.
		if err := lockFiles(ctx, tx, "attachments", appID); err != nil {
			return err
		}
		switch _, err := attachmentOnRecord(ctx, tx, appID, a.ID); {
		case err == nil: // stored already: answered below as it stands
		case !errors.Is(err, pgx.ErrNoRows):
			return err
		default:
			if err := withinQuota(ctx, tx, "attachments", "application_id", appID, "true", a.Size, AttachmentQuota); err != nil {
				return err
			}
			if _, err := tx.Conn().PgConn().CopyFrom(ctx, attachmentCopy(appID, a, actor, data), `COPY attachments
				(id, application_id, kind, name, content_type, size, sha256, created_at, created_by, data) FROM STDIN (FORMAT binary)`); err != nil {
				var pgErr *pgconn.PgError
				if errors.As(err, &pgErr) && pgErr.Code == "23505" { // stored meanwhile by the same request retried
					return errStoredMeanwhile
				}
				return err
			}
			if n, _ := data.Read(make([]byte, 1)); n > 0 {
				return fmt.Errorf("attachment %s: longer than its %d bytes", a.ID, a.Size)
			}
			// The stage read once the bytes are in, under the row's share
			// lock till the commit: it waits for a decision's step being
			// written, as a removal does (RecordStep holds the row FOR
			// UPDATE), and no decision waits for the copy itself.
			var stage string
			if err := tx.QueryRow(ctx, `SELECT stage FROM applications WHERE id = $1 FOR SHARE`, appID).Scan(&stage); err != nil {
				return err
			}
			if !slices.Contains(stages, stage) {
				return &FilesTakenError{Stage: stage}
			}
			if err := AppendAudit(ctx, tx, AuditEntry{At: a.CreatedAt, Actor: actor, Role: role, Action: "application.attach",
				ObjectType: "application", ObjectID: appID, After: a}); err != nil {
				return err
			}
		}
		var err error
		stored, err = attachmentOnRecord(ctx, tx, appID, a.ID)
		return err
	})
	if errors.Is(err, errStoredMeanwhile) {
		return s.AttachmentOnRecord(ctx, appID, a.ID)
	}
	return stored, notFound(err)
}

var errStoredMeanwhile = errors.New("attachment stored meanwhile")

// maxAttachment is the most a bytea holds (1 GiB less a byte).
const maxAttachment = 1<<30 - 1

// attachmentCopy is one attachments row in PostgreSQL's binary COPY format,
// its file's bytes read from data as COPY sends them: a.Size of them — a
// file that ends short fails the COPY; one that goes on is found by the
// caller, and nothing is stored.
func attachmentCopy(appID string, a Attachment, actor string, data io.Reader) io.Reader {
	var head bytes.Buffer
	head.WriteString("PGCOPY\n\xff\r\n\x00")
	binary.Write(&head, binary.BigEndian, [2]int32{0, 0}) // flags, header extension
	binary.Write(&head, binary.BigEndian, int16(10))      // fields
	for _, text := range []string{a.ID, appID, a.Kind, a.Name, a.ContentType} {
		binary.Write(&head, binary.BigEndian, int32(len(text)))
		head.WriteString(text)
	}
	binary.Write(&head, binary.BigEndian, int32(8))
	binary.Write(&head, binary.BigEndian, a.Size)
	binary.Write(&head, binary.BigEndian, int32(len(a.SHA256)))
	head.WriteString(a.SHA256)
	binary.Write(&head, binary.BigEndian, int32(8))
	binary.Write(&head, binary.BigEndian, a.CreatedAt.UnixMicro()-postgresEpoch.UnixMicro())
	binary.Write(&head, binary.BigEndian, int32(len(actor)))
	head.WriteString(actor)
	binary.Write(&head, binary.BigEndian, int32(a.Size))
	return io.MultiReader(&head, &exactly{r: io.LimitReader(data, a.Size), left: a.Size}, bytes.NewReader([]byte{0xff, 0xff}))
}

// postgresEpoch is where PostgreSQL's binary timestamps count from.
var postgresEpoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// exactly reads r, failing when it ends before left bytes.
type exactly struct {
	r    io.Reader
	left int64
}

func (e *exactly) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	e.left -= int64(n)
	if err == io.EOF && e.left > 0 {
		return n, fmt.Errorf("file ended %d bytes short of its size", e.left)
	}
	return n, err
}

// FilesTakenError: the application has moved past the stages in which its
// files may change; Stage is the one it is in.
type FilesTakenError struct{ Stage string }

func (e *FilesTakenError) Error() string {
	return "the application's files are taken (stage " + e.Stage + ")"
}

// ErrNotEnteredOnBehalf: a city officer may take back files only of an
// application it entered on the holder's behalf (代录).
var ErrNotEnteredOnBehalf = errors.New("the application was not entered on the holder's behalf")

// RemoveAttachment takes a file uploaded by mistake off an application
// while its stage is one of stages (its files still the holder's to
// change), with a line in the application's history and an audit row
// naming the file and its digest — the record keeps that it was there, not
// its bytes. ErrNotFound when the application has no such file.
//
// The upload's idempotency record goes with it: the same upload sent again
// stores the file again, instead of being told of a file no longer here.
func (s *Store) RemoveAttachment(ctx context.Context, appID, id string, stages []string, at time.Time, actor, role string) (Attachment, error) {
	var removed Attachment
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		// Under the lock of the application's files, as a file is stored:
		// a removal and an upload of the same application go one at a time.
		if err := lockFiles(ctx, tx, "attachments", appID); err != nil {
			return err
		}
		// FOR SHARE waits for a decision's step being written (RecordStep
		// holds the row FOR UPDATE), so a file is not taken back after the
		// 初审 that read it.
		var stage string
		var onBehalf bool
		if err := tx.QueryRow(ctx, `SELECT stage, on_behalf FROM applications WHERE id = $1 FOR SHARE`, appID).Scan(&stage, &onBehalf); err != nil {
			return err
		}
		var a Attachment
		var uploader string
		err := tx.QueryRow(ctx, `SELECT id, kind, name, content_type, size, sha256, created_at, created_by FROM attachments
			WHERE application_id = $1 AND id = $2`, appID, id).Scan(&a.ID, &a.Kind, &a.Name, &a.ContentType, &a.Size, &a.SHA256, &a.CreatedAt, &uploader)
		if err != nil {
			return err
		}
		if role == "city_officer" && !onBehalf {
			return ErrNotEnteredOnBehalf
		}
		if !slices.Contains(stages, stage) {
			return &FilesTakenError{Stage: stage}
		}
		if _, err := tx.Exec(ctx, `DELETE FROM attachments WHERE application_id = $1 AND id = $2`, appID, id); err != nil {
			return fmt.Errorf("remove attachment %s: %w", id, err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM idempotency_keys WHERE sub = $1 AND method = 'POST' AND path LIKE '/api/v1/applications/%/attachments'
			AND position(convert_to($2, 'UTF8') IN response) > 0`, uploader, `"id":"`+id+`"`); err != nil {
			return fmt.Errorf("forget the upload of attachment %s: %w", id, err)
		}
		// The same id may come back (its upload sent again under its key, the
		// key's record gone): each removal is a line of its own.
		note := fmt.Sprintf("%s（%s，SHA-256 前16位 %s）", a.Name, a.ID, a.SHA256[:min(len(a.SHA256), 16)])
		if _, err := tx.Exec(ctx, `INSERT INTO application_events (application_id, at, actor, role, action, note, dedupe_key)
			VALUES ($1, $2, $3, $4, 'attachment.removed', $5, $6)`, appID, at, actor, role, note,
			fmt.Sprintf("attachment.removed/%s/%d", id, a.CreatedAt.UnixMicro())); err != nil {
			return fmt.Errorf("history of removed attachment %s: %w", id, err)
		}
		removed = a
		return AppendAudit(ctx, tx, AuditEntry{At: at, Actor: actor, Role: role, Action: "application.detach",
			ObjectType: "application", ObjectID: appID, Before: a})
	})
	return removed, notFound(err)
}

// AttachmentOnRecord reads what is on record of one file of an
// application, without its content.
func (s *Store) AttachmentOnRecord(ctx context.Context, appID, id string) (Attachment, error) {
	a, err := attachmentOnRecord(ctx, s.pool, appID, id)
	return a, notFound(err)
}

func attachmentOnRecord(ctx context.Context, q rowQuerier, appID, id string) (Attachment, error) {
	var a Attachment
	err := q.QueryRow(ctx, `SELECT id, kind, name, content_type, size, sha256, created_at FROM attachments
		WHERE application_id = $1 AND id = $2`, appID, id).Scan(&a.ID, &a.Kind, &a.Name, &a.ContentType, &a.Size, &a.SHA256, &a.CreatedAt)
	return a, err
}

// attachmentsSQL lists an application's files, oldest first.
const attachmentsSQL = `SELECT id, kind, name, content_type, size, sha256, created_at FROM attachments
	WHERE application_id = $1 ORDER BY created_at, id`

// attachmentChunk is how much of a file one read brings: a file is sent
// on in pieces so that a 200 MB video is never held whole, here or by the
// console that passes it on.
const attachmentChunk = 4 << 20

// attachmentChunkWait bounds one piece's read.
const attachmentChunkWait = 30 * time.Second

// WriteAttachment writes the content of a, a file on record of appID, to w
// in pieces; begin is called once, before the first byte is written, when
// the first piece has been read — so that an answer's status is sent only
// once the file is known to be readable. Each piece is a query of its own,
// holding no connection while the client reads (a file on record never
// changes; one taken back meanwhile ends the download short, its error
// returned), and each is bounded by itself, not by ctx: net/http may cancel
// a long download's context when its read deadline passes, though the
// client still reads. A client that goes away fails the next write.
func (s *Store) WriteAttachment(ctx context.Context, appID string, a Attachment, begin func(), w io.Writer) error {
	ctx = context.WithoutCancel(ctx)
	began := false
	for offset := int64(0); offset < a.Size || !began; offset += attachmentChunk {
		var piece []byte
		err := func() error {
			ctx, cancel := context.WithTimeout(ctx, attachmentChunkWait)
			defer cancel()
			// substring counts from 1; PostgreSQL reads only the slices of
			// an uncompressed value that the piece needs.
			return s.pool.QueryRow(ctx, `SELECT substring(data FROM $3::int FOR $4::int) FROM attachments
				WHERE application_id = $1 AND id = $2`, appID, a.ID, offset+1, attachmentChunk).Scan(&piece)
		}()
		if err != nil {
			return notFound(err)
		}
		if !began {
			begin()
			began = true
		}
		if len(piece) == 0 {
			break
		}
		if _, err := w.Write(piece); err != nil {
			return err
		}
	}
	return nil
}
