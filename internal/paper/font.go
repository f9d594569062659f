// Package paper prints laborbrand's records as the scheme's paper: the three
// forms of its attachments (附件1 推荐表, 附件2 登记变更表, 附件3 移出情况表),
// the public notice (公示), the admitted list (入库名单), the published
// decisions, and the city's yearly report. Each document is a PDF drawn from
// plain values the caller reads from the records; the package does no I/O
// but reading its fonts.
//
// Chinese needs a CJK font: a TrueType-outline (glyf) font file, embedded as
// a subset of the characters a document uses. CFF-flavoured OpenType (.otf)
// and collections (.ttc), as fonts-noto-cjk ships them, cannot be embedded by
// the PDF writer; Debian's fonts-droid-fallback ships a TrueType one. That
// font has no Latin letters or digits, so those are drawn with a second,
// Latin TrueType font (fonts-dejavu-core's DejaVu Sans).
package paper

import (
	"bytes"
	"fmt"
	"os"
)

// The fonts looked for when no path is configured (Debian packages
// fonts-droid-fallback and fonts-dejavu-core).
const (
	DefaultCJKFont   = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"
	DefaultLatinFont = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
)

// Fonts are the two font files every document embeds (as subsets).
type Fonts struct {
	cjk, latin []byte
}

// LoadFonts reads the CJK and the Latin font; an empty path is the default.
// The error names the file, what is wrong with it and what to do.
func LoadFonts(cjkPath, latinPath string) (*Fonts, error) {
	if cjkPath == "" {
		cjkPath = DefaultCJKFont
	}
	if latinPath == "" {
		latinPath = DefaultLatinFont
	}
	cjk, err := readTrueType(cjkPath, "LB_PDF_FONT", "fonts-droid-fallback")
	if err != nil {
		return nil, err
	}
	latin, err := readTrueType(latinPath, "LB_PDF_LATIN_FONT", "fonts-dejavu-core")
	if err != nil {
		return nil, err
	}
	return &Fonts{cjk: cjk, latin: latin}, nil
}

// readTrueType reads a font file and checks it has TrueType outlines, the
// only kind the PDF writer embeds.
func readTrueType(path, setting, pkg string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("PDF font %s (%s): %w; install the Debian package %s or set %s to a TrueType font", path, setting, err, pkg, setting)
	}
	switch {
	case len(data) < 12:
		return nil, fmt.Errorf("PDF font %s (%s) is not a font file", path, setting)
	case bytes.HasPrefix(data, []byte("OTTO")):
		return nil, fmt.Errorf("PDF font %s (%s) has CFF outlines (OpenType .otf), which cannot be embedded; use a TrueType-outline font such as %s's", path, setting, pkg)
	case bytes.HasPrefix(data, []byte("ttcf")):
		return nil, fmt.Errorf("PDF font %s (%s) is a font collection (.ttc), which cannot be embedded; use a single TrueType font such as %s's", path, setting, pkg)
	case !bytes.HasPrefix(data, []byte{0, 1, 0, 0}) && !bytes.HasPrefix(data, []byte("true")):
		return nil, fmt.Errorf("PDF font %s (%s) is not a TrueType font", path, setting)
	}
	return data, nil
}
