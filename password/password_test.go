package password

import (
	"strings"
	"testing"
)

func TestHashVerify(t *testing.T) {
	h := HashWith("correct horse battery", Params{Memory: 64, Time: 1, Threads: 1})
	if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("hash = %q", h)
	}
	if ok, err := Verify("correct horse battery", h); !ok || err != nil {
		t.Errorf("Verify(right) = %v, %v", ok, err)
	}
	if ok, _ := Verify("correct horse batterx", h); ok {
		t.Errorf("Verify(wrong) = true")
	}
	if h2 := HashWith("correct horse battery", Params{Memory: 64, Time: 1, Threads: 1}); h2 == h {
		t.Errorf("two hashes share a salt")
	}
	for _, bad := range []string{"", "$argon2i$v=19$m=64,t=1,p=1$AAAA$AAAA", "$argon2id$v=19$m=x$AAAA$AAAA", "plain"} {
		if _, err := Verify("x", bad); err == nil {
			t.Errorf("Verify accepted malformed hash %q", bad)
		}
	}
}
