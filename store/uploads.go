package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/jackc/pgx/v5"
)

// Upload is a file arriving in pieces for an application's attachment
// (the console's resumable upload): Received bytes of Size are kept.
type Upload struct {
	ID, USCC, ApplicationID, Kind, Name, Fingerprint string
	Size, Received                                   int64
	UpdatedAt                                        time.Time
}

// UploadPartMax bounds one piece; UploadPartMin is the least a piece
// other than the last may be, so that a 200 MB file is never kept as a
// row a byte (the console's pieces are 960 KB).
const (
	UploadPartMax = 1 << 20
	UploadPartMin = 256 << 10
)

// ErrUploadOffset is AppendUpload's answer to a piece that does not start
// where the received bytes end; the caller resumes from Upload.Received.
var ErrUploadOffset = errors.New("upload offset mismatch")

// ErrUploadPieceTooSmall refuses a piece under UploadPartMin that is not
// the upload's last.
var ErrUploadPieceTooSmall = errors.New("upload piece too small")

// ErrTooManyUploads is StartUpload's refusal of a new upload to a holder
// with as many unfinished as it may have.
var ErrTooManyUploads = errors.New("too many unfinished uploads")

// UploadLimit bounds a holder's unfinished uploads: at most Max besides the
// file being started (which can always be resumed and sent); those left
// untouched since before StaleBefore are forgotten first. A zero Max bounds
// nothing.
type UploadLimit struct {
	Max         int
	StaleBefore time.Time
}

// StartUpload returns the upload of the same file (by fingerprint) for the
// holder's application if one is under way, or u, created — refused with
// ErrTooManyUploads beyond limit. The count and the insert hold the
// holder's lock, so requests sent at once cannot all pass the count.
func (s *Store) StartUpload(ctx context.Context, u Upload, limit UploadLimit) (Upload, error) {
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('attachment_uploads:' || $1, 0))`, u.USCC); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM attachment_uploads WHERE uscc = $1 AND updated_at < $2`, u.USCC, limit.StaleBefore); err != nil {
			return err
		}
		if limit.Max > 0 {
			var others int
			if err := tx.QueryRow(ctx, `SELECT count(*) FROM attachment_uploads WHERE uscc = $1
				AND NOT (application_id = $2 AND fingerprint = $3)`, u.USCC, u.ApplicationID, u.Fingerprint).Scan(&others); err != nil {
				return err
			}
			if others >= limit.Max {
				return ErrTooManyUploads
			}
		}
		_, err := tx.Exec(ctx, `INSERT INTO attachment_uploads (id, uscc, application_id, kind, name, size, fingerprint, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) ON CONFLICT (uscc, application_id, fingerprint) DO NOTHING`,
			u.ID, u.USCC, u.ApplicationID, u.Kind, u.Name, u.Size, u.Fingerprint, u.UpdatedAt)
		return err
	})
	if errors.Is(err, ErrTooManyUploads) {
		return u, err
	}
	if err != nil {
		return u, fmt.Errorf("start upload: %w", err)
	}
	return s.uploadWhere(ctx, `uscc = $1 AND application_id = $2 AND fingerprint = $3`, u.USCC, u.ApplicationID, u.Fingerprint)
}

// UploadOf is the holder's upload id, or ErrNotFound.
func (s *Store) UploadOf(ctx context.Context, uscc, applicationID, id string) (Upload, error) {
	return s.uploadWhere(ctx, `uscc = $1 AND application_id = $2 AND id = $3`, uscc, applicationID, id)
}

func (s *Store) uploadWhere(ctx context.Context, where string, args ...any) (Upload, error) {
	var u Upload
	err := s.pool.QueryRow(ctx, `SELECT id, uscc, application_id, kind, name, fingerprint, size, received, updated_at
		FROM attachment_uploads WHERE `+where, args...).Scan(&u.ID, &u.USCC, &u.ApplicationID, &u.Kind, &u.Name, &u.Fingerprint, &u.Size, &u.Received, &u.UpdatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return u, ErrNotFound
	}
	return u, err
}

// AppendUpload keeps one piece starting at offset, which must be where the
// received bytes end (ErrUploadOffset otherwise), of UploadPartMin to
// UploadPartMax bytes unless it is the last (ErrUploadPieceTooSmall), and
// returns the upload.
func (s *Store) AppendUpload(ctx context.Context, u Upload, offset int64, data []byte, at time.Time) (Upload, error) {
	end := offset + int64(len(data))
	if len(data) < UploadPartMin && end < u.Size {
		return u, ErrUploadPieceTooSmall
	}
	if len(data) == 0 || len(data) > UploadPartMax || end > u.Size {
		return u, ErrUploadOffset
	}
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		var received int64
		if err := tx.QueryRow(ctx, `SELECT received FROM attachment_uploads WHERE id = $1 FOR UPDATE`, u.ID).Scan(&received); err != nil {
			return err
		}
		u.Received = received
		if received != offset {
			return ErrUploadOffset
		}
		if _, err := tx.Exec(ctx, `INSERT INTO attachment_upload_parts (upload_id, "offset", data) VALUES ($1, $2, $3)`, u.ID, offset, data); err != nil {
			return err
		}
		u.Received, u.UpdatedAt = offset+int64(len(data)), at
		_, err := tx.Exec(ctx, `UPDATE attachment_uploads SET received = $2, updated_at = $3 WHERE id = $1`, u.ID, u.Received, at)
		return err
	})
	return u, err
}

// UploadReader reads an upload's pieces in order, one piece from
// PostgreSQL at a time, so that a 200 MB video passed on to the API is
// never held whole; it fails at the end when the pieces do not add up to
// the upload's size.
func (s *Store) UploadReader(ctx context.Context, u Upload) io.Reader {
	return &uploadReader{ctx: ctx, s: s, u: u}
}

type uploadReader struct {
	ctx    context.Context
	s      *Store
	u      Upload
	next   int64 // the offset of the next piece to read
	piece  []byte
	failed error
}

func (r *uploadReader) Read(p []byte) (int, error) {
	for len(r.piece) == 0 {
		if r.failed != nil {
			return 0, r.failed
		}
		if r.next == r.u.Size {
			return 0, io.EOF
		}
		err := r.s.pool.QueryRow(r.ctx, `SELECT data FROM attachment_upload_parts WHERE upload_id = $1 AND "offset" = $2`,
			r.u.ID, r.next).Scan(&r.piece)
		switch {
		case errors.Is(err, pgx.ErrNoRows) || err == nil && (len(r.piece) == 0 || r.next+int64(len(r.piece)) > r.u.Size):
			r.piece, r.failed = nil, fmt.Errorf("upload %s: no piece at %d of %d bytes", r.u.ID, r.next, r.u.Size)
		case err != nil:
			r.piece, r.failed = nil, err
		default:
			r.next += int64(len(r.piece))
		}
	}
	n := copy(p, r.piece)
	r.piece = r.piece[n:]
	return n, nil
}

// DeleteUpload forgets an upload and its pieces.
func (s *Store) DeleteUpload(ctx context.Context, id string) error {
	_, err := s.pool.Exec(ctx, `DELETE FROM attachment_uploads WHERE id = $1`, id)
	return err
}
