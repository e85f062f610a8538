package concord

// Role is what an account may do in one forum. Roles never carry across forums.
type Role string

const (
	RolePublic      Role = "public"
	RoleDelegate    Role = "delegate"
	RoleAdvisor     Role = "advisor" // advisory-group member
	RoleSecretariat Role = "secretariat"
)

// Roles lists roles from least to most privileged.
var Roles = []Role{RolePublic, RoleDelegate, RoleAdvisor, RoleSecretariat}

// Rank orders roles so that a higher role includes the rights of lower ones.
func (r Role) Rank() int {
	for i, x := range Roles {
		if r == x {
			return i
		}
	}
	return -1
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r.Rank() >= 0 }

// AtLeast reports whether r includes the rights of min.
func (r Role) AtLeast(min Role) bool { return r.Rank() >= min.Rank() }
