package demo

import (
	"context"
	"fmt"

	"concord"
	"concord/password"
	"concord/sqlstore"
)

// Demo accounts; the password is public by design.
const (
	Password         = "concord-demo"
	SecretariatEmail = "secretariat@example.org"
	AdvisorEmail     = "advisor@example.org"
)

// Load writes the demo forums into an empty database; it does nothing when
// the demo forum exists already.
func Load(ctx context.Context, db *sqlstore.DB, seed uint64) (bool, error) {
	if _, err := db.Forum(ctx, "igf"); err == nil {
		return false, nil
	} else if concord.ErrorCode(err) != concord.ENOTFOUND {
		return false, err
	}
	forums := []*concord.Forum{}
	for _, c := range []Community{Global(seed), National(seed)} {
		f := c.Forum
		if err := db.CreateForum(ctx, &f); err != nil {
			return false, err
		}
		forums = append(forums, &f)
		for _, cy := range c.Cycles {
			cy.ForumID = f.ID
			if err := db.CreateCycle(ctx, &cy); err != nil {
				return false, err
			}
		}
		if err := db.ImportOrganisations(ctx, f.ID, c.Organisations); err != nil {
			return false, err
		}
		rows := make([]concord.PersonRow, len(c.People))
		for i := range c.People {
			rows[i] = concord.PersonRow{Line: i + 1, Person: &c.People[i]}
		}
		problems, err := db.ImportPeople(ctx, &f, rows)
		if err != nil {
			return false, err
		}
		if len(problems) > 0 {
			return false, fmt.Errorf("demo data rejected: %s", problems[0])
		}
	}
	if err := loadAdvisory(ctx, db, forums[0], seed); err != nil {
		return false, err
	}
	if err := loadConsultation(ctx, db, forums[0], seed); err != nil {
		return false, err
	}
	if err := loadProgramme(ctx, db, forums[0], seed); err != nil {
		return false, err
	}
	if err := loadMeeting(ctx, db, forums[0], seed); err != nil {
		return false, err
	}
	if err := loadReports(ctx, db, forums[0], seed); err != nil {
		return false, err
	}
	hash := password.Hash(Password)
	for _, a := range []struct {
		email, name string
		role        concord.Role
	}{
		{SecretariatEmail, "Forum Secretariat", concord.RoleSecretariat},
		{AdvisorEmail, "Advisory Group Member", concord.RoleAdvisor},
		{"delegate@example.org", "Delegate", concord.RoleDelegate},
	} {
		acc, err := db.CreateAccount(ctx, a.name, a.email, hash)
		if err != nil {
			return false, err
		}
		if err := db.ConfirmAccount(ctx, acc.ID); err != nil {
			return false, err
		}
		if err := db.SetRole(ctx, acc.ID, forums[0].ID, a.role); err != nil {
			return false, err
		}
		if a.role == concord.RoleSecretariat {
			if err := db.SetAdmin(ctx, acc.ID, true); err != nil {
				return false, err
			}
			if err := db.SetRole(ctx, acc.ID, forums[1].ID, a.role); err != nil {
				return false, err
			}
		}
	}
	return true, nil
}
