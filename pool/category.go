package pool

import (
	"fmt"
	"math/bits"
	"strings"
)

// CategorySet is a set of categories, as bits of a Registry.
type CategorySet uint32

// Has reports whether s holds every category of t.
func (s CategorySet) Has(t CategorySet) bool { return s&t == t }

// Len returns the number of categories in s.
func (s CategorySet) Len() int { return bits.OnesCount32(uint32(s)) }

// MaxCategories is the number of categories a Registry can hold.
const MaxCategories = 32

// Registry maps category keys (such as "french") to the bits of a
// CategorySet. New categories appear every year (IRCC adds lists each
// February), so a registry grows: Bit adds a key it has not seen.
type Registry struct {
	keys []string
}

// DefaultCategories are the category keys IRCC has used from 2023 to 2026
// (docs/domain.md, "Category-based selection": 2023-05-31, 2025-02-27 and
// 2026-02-18 lists).
var DefaultCategories = []string{
	"french", "healthcare", "stem", "trades", "transport", "agriculture",
	"education", "physicians", "researchers", "senior_managers", "military",
}

// NewRegistry returns a registry holding keys, in order.
func NewRegistry(keys ...string) *Registry {
	r := &Registry{}
	for _, k := range keys {
		if _, err := r.Bit(k); err != nil {
			panic(err) // programmer error: more than MaxCategories defaults
		}
	}
	return r
}

// Keys returns the registered keys in bit order.
func (r *Registry) Keys() []string { return r.keys }

// Lookup returns the bit of key without adding it.
func (r *Registry) Lookup(key string) (CategorySet, bool) {
	key = strings.ToLower(strings.TrimSpace(key))
	for i, k := range r.keys {
		if k == key {
			return 1 << i, true
		}
	}
	return 0, false
}

// Bit returns the bit of key, adding key if it is new.
func (r *Registry) Bit(key string) (CategorySet, error) {
	key = strings.ToLower(strings.TrimSpace(key))
	if b, ok := r.Lookup(key); ok {
		return b, nil
	}
	if len(r.keys) == MaxCategories {
		return 0, fmt.Errorf("pool: more than %d categories (adding %q)", MaxCategories, key)
	}
	r.keys = append(r.keys, key)
	return 1 << (len(r.keys) - 1), nil
}
