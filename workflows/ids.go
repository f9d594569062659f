package workflows

import (
	"crypto/rand"
	"encoding/binary"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"
)

// parentClosePolicyAbandon lets a brand's process outlive the application's.
const parentClosePolicyAbandon = enumspb.PARENT_CLOSE_POLICY_ABANDON

// newSeed draws a random seed; call it only inside workflow.SideEffect.
func newSeed() uint64 {
	var b [8]byte
	rand.Read(b[:])
	return binary.LittleEndian.Uint64(b[:])
}

// brandSearchAttributes are a brand process's initial search attributes.
func brandSearchAttributes(status, county, category, name string) temporal.SearchAttributes {
	return temporal.NewSearchAttributes(BrandStatusKey.ValueSet(status), CountyCodeKey.ValueSet(county),
		CategoryKey.ValueSet(category), BrandNameKey.ValueSet(name))
}

// ApplicationSearchAttributes are an application process's initial search
// attributes.
func ApplicationSearchAttributes(in ApplicationInput) temporal.SearchAttributes {
	return temporal.NewSearchAttributes(StageKey.ValueSet(StageCountyReview), CountyCodeKey.ValueSet(in.CountyCode),
		CategoryKey.ValueSet(in.Category), BrandNameKey.ValueSet(in.BrandName))
}
