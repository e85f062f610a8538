package web

import (
	"net/http"

	"concord/server"
)

// Routes lists every page, with who may see it.
func (h *Handler) Routes() []server.Route {
	const (
		pub = server.Public
		in  = server.SignedIn
		adv = server.Advisor
		sec = server.Secretariat
		adm = server.Admin
	)
	rt := func(method, pattern string, a server.Access, fn http.HandlerFunc) server.Route {
		return server.Route{Method: method, Pattern: pattern, Access: a, Handler: fn}
	}
	return []server.Route{
		rt("GET", "/{$}", pub, h.home),
		rt("GET", "/static/", pub, h.static),
		rt("GET", "/healthz", pub, h.healthz),

		rt("GET", "/signup", pub, h.signupForm),
		rt("POST", "/signup", pub, h.signup),
		rt("GET", "/confirm/{token}", pub, h.confirm),
		rt("GET", "/signin", pub, h.signinForm),
		rt("POST", "/signin", pub, h.signin),
		rt("POST", "/signout", pub, h.signout),
		rt("GET", "/reset", pub, h.resetRequestForm),
		rt("POST", "/reset", pub, h.resetRequest),
		rt("GET", "/reset/{token}", pub, h.resetForm),
		rt("POST", "/reset/{token}", pub, h.reset),
		rt("GET", "/account", in, h.account),
		rt("POST", "/account/tokens", in, h.createAPIToken),
		rt("POST", "/account/tokens/revoke", in, h.revokeAPIToken),

		rt("GET", "/forums/new", adm, h.newForumForm),
		rt("POST", "/forums", adm, h.createForum),
		rt("GET", "/outbox", adm, h.outboxAll),

		rt("GET", "/decisions", pub, h.decisions),
		rt("GET", "/decisions/{index}", pub, h.decision),

		rt("GET", "/forums/{forum}", pub, h.forum),
		rt("GET", "/forums/{forum}/people", pub, h.people),
		rt("GET", "/forums/{forum}/people.csv", pub, h.peopleCSV),
		rt("GET", "/forums/{forum}/people/new", sec, h.newPersonForm),
		rt("POST", "/forums/{forum}/people", sec, h.createPerson),
		rt("GET", "/forums/{forum}/people/import", sec, h.importForm),
		rt("POST", "/forums/{forum}/people/import", sec, h.importPeople),
		rt("GET", "/forums/{forum}/people/{id}", pub, h.person),
		rt("GET", "/forums/{forum}/people/{id}/edit", sec, h.editPersonForm),
		rt("POST", "/forums/{forum}/people/{id}", sec, h.updatePerson),
		rt("POST", "/forums/{forum}/people/{id}/delete", sec, h.deletePerson),
		rt("GET", "/forums/{forum}/organisations", pub, h.organisations),
		rt("GET", "/forums/{forum}/organisations/{id}", pub, h.organisation),
		rt("GET", "/forums/{forum}/members", sec, h.members),
		rt("POST", "/forums/{forum}/members", sec, h.setMember),
		rt("GET", "/forums/{forum}/outbox", sec, h.outbox),

		rt("GET", "/forums/{forum}/consultations", pub, h.consultations),
		rt("GET", "/forums/{forum}/consultations/new", sec, h.newConsultationForm),
		rt("POST", "/forums/{forum}/consultations", sec, h.createConsultation),
		rt("GET", "/forums/{forum}/consultations/import", sec, h.consultationImportForm),
		rt("POST", "/forums/{forum}/consultations/import", sec, h.importConsultation),
		rt("GET", "/forums/{forum}/consultations/{id}", pub, h.consultation),
		rt("POST", "/forums/{forum}/consultations/{id}/votes", pub, h.vote),
		rt("POST", "/forums/{forum}/consultations/{id}/statements", pub, h.submitStatement),
		rt("POST", "/forums/{forum}/consultations/{id}/group", pub, h.declareGroup),
		rt("GET", "/forums/{forum}/consultations/{id}/report", pub, h.consultationReport),
		rt("GET", "/forums/{forum}/consultations/{id}/statements.csv", pub, h.consultationCSV),
		rt("GET", "/forums/{forum}/consultations/{id}/polis.zip", pub, h.consultationPolis),
		rt("GET", "/forums/{forum}/consultations/{id}/moderation", sec, h.moderation),
		rt("POST", "/forums/{forum}/consultations/{id}/moderation", sec, h.moderate),
		rt("GET", "/forums/{forum}/consultations/{id}/edit", sec, h.editConsultationForm),
		rt("POST", "/forums/{forum}/consultations/{id}/edit", sec, h.updateConsultation),
		rt("POST", "/forums/{forum}/consultations/{id}/close", sec, h.closeConsultation),

		rt("GET", "/forums/{forum}/advisory-group", pub, h.advisoryGroup),
		rt("GET", "/forums/{forum}/advisory-group/selections/{id}/{file}", pub, h.selectionFile),
		rt("GET", "/forums/{forum}/advisory-group/nominate", in, h.nominateForm),
		rt("POST", "/forums/{forum}/advisory-group/nominations", in, h.nominate),
		rt("GET", "/forums/{forum}/advisory-group/manage", sec, h.advisoryManage),
		rt("POST", "/forums/{forum}/advisory-group/calls", sec, h.createCall),
		rt("GET", "/forums/{forum}/advisory-group/calls/{id}", sec, h.advisoryCall),
		rt("POST", "/forums/{forum}/advisory-group/calls/{id}", sec, h.updateCall),
		rt("POST", "/forums/{forum}/advisory-group/calls/{id}/eligibility", sec, h.checkEligibility),
		rt("POST", "/forums/{forum}/advisory-group/calls/{id}/selections", sec, h.runSelection),
		rt("GET", "/forums/{forum}/advisory-group/nominations/{id}", sec, h.nomination),
		rt("POST", "/forums/{forum}/advisory-group/nominations/{id}", sec, h.reviewNomination),
		rt("GET", "/forums/{forum}/advisory-group/rules", sec, h.advisoryRules),
		rt("POST", "/forums/{forum}/advisory-group/rules", sec, h.saveAdvisoryRules),
		rt("GET", "/forums/{forum}/advisory-group/check", sec, h.advisoryCheck),
		rt("GET", "/forums/{forum}/advisory-group/selections/{id}", sec, h.advisorySelection),
		rt("POST", "/forums/{forum}/advisory-group/selections/{id}/publish", sec, h.publishSelection),
		rt("GET", "/forums/{forum}/advisory-group/terms", sec, h.advisoryTerms),
		rt("POST", "/forums/{forum}/advisory-group/terms", sec, h.addTerm),
		rt("GET", "/forums/{forum}/advisory-group/terms/{id}", sec, h.advisoryTerm),
		rt("POST", "/forums/{forum}/advisory-group/terms/{id}", sec, h.editTerm),

		rt("GET", "/forums/{forum}/programme", pub, h.programme),
		rt("GET", "/forums/{forum}/programme/propose", in, h.proposeForm),
		rt("POST", "/forums/{forum}/programme/proposals", in, h.saveProposal),
		rt("GET", "/forums/{forum}/programme/proposals/{id}", in, h.proposal),
		rt("POST", "/forums/{forum}/programme/proposals/{id}", in, h.saveProposal),
		rt("GET", "/forums/{forum}/programme/confirm/{token}", pub, h.confirmSpeakerForm),
		rt("POST", "/forums/{forum}/programme/confirm/{token}", pub, h.confirmSpeaker),
		rt("GET", "/forums/{forum}/programme/manage", sec, h.programmeManage),
		rt("POST", "/forums/{forum}/programme/calls", sec, h.createProposalCall),
		rt("GET", "/forums/{forum}/programme/calls/{id}", sec, h.programmeCall),
		rt("POST", "/forums/{forum}/programme/calls/{id}", sec, h.updateProposalCall),
		rt("POST", "/forums/{forum}/programme/proposals/{id}/screening", sec, h.overrideScreening),
		rt("POST", "/forums/{forum}/programme/calls/{id}/assignments", sec, h.runAssignment),
		rt("POST", "/forums/{forum}/programme/calls/{id}/rules", sec, h.saveScreeningRules),
		rt("GET", "/forums/{forum}/programme/evaluate", adv, h.evaluations),
		rt("GET", "/forums/{forum}/programme/evaluate/{id}", adv, h.evaluation),
		rt("POST", "/forums/{forum}/programme/evaluate/{id}", adv, h.saveEvaluation),
		rt("POST", "/forums/{forum}/programme/evaluate/{id}/conflict", adv, h.declareConflict),
		rt("GET", "/forums/{forum}/programme/calls/{id}/selection", sec, h.programmeSelection),
		rt("POST", "/forums/{forum}/programme/calls/{id}/accept-top", sec, h.acceptTop),
		rt("GET", "/forums/{forum}/programme/calls/{id}/dashboard", sec, h.programmeDashboard),
		rt("POST", "/forums/{forum}/programme/calls/{id}/publish", sec, h.publishProgramme),
		rt("POST", "/forums/{forum}/programme/proposals/{id}/decision", sec, h.decideProposal),
		rt("GET", "/forums/{forum}/programme/accepted", pub, h.acceptedSessions),

		rt("GET", "/forums/{forum}/schedule", pub, h.schedule),
		rt("GET", "/forums/{forum}/schedule/sessions/{id}", pub, h.scheduleSession),
		rt("GET", "/forums/{forum}/schedule/sessions/{id}/report", pub, h.sessionReport),
		rt("GET", "/forums/{forum}/schedule/sessions/{id}/report.md", pub, h.sessionReportMarkdown),
		rt("GET", "/forums/{forum}/schedule/reports.csv", pub, h.reportsCSV),
		rt("POST", "/forums/{forum}/schedule/sessions/{id}/report", in, h.fileReport),
		rt("GET", "/forums/{forum}/meeting/reports", sec, h.meetingReports),
		rt("POST", "/forums/{forum}/meeting/reports/rules", sec, h.saveReportRules),
		rt("POST", "/forums/{forum}/schedule/sessions/{id}/star", server.Delegate, h.star),
		rt("GET", "/forums/{forum}/schedule/agenda", server.Delegate, h.agenda),
		rt("GET", "/forums/{forum}/schedule/agenda/{token}/calendar.ics", pub, h.agendaICal),
		rt("GET", "/forums/{forum}/schedule/calendar.ics", pub, h.scheduleICal),
		rt("GET", "/forums/{forum}/schedule/rooms/{id}/calendar.ics", pub, h.roomICal),
		rt("GET", "/forums/{forum}/schedule/people/{id}/calendar.ics", pub, h.personICal),
		rt("GET", "/forums/{forum}/schedule/frab.xml", pub, h.frabXML),
		rt("GET", "/forums/{forum}/schedule/frab.json", pub, h.frabJSON),
		rt("GET", "/forums/{forum}/schedule/sessions.csv", pub, h.scheduleCSV),
		rt("GET", "/forums/{forum}/meeting", sec, h.meeting),
		rt("POST", "/forums/{forum}/meeting", sec, h.saveMeeting),
		rt("POST", "/forums/{forum}/meeting/rooms", sec, h.createRoom),
		rt("POST", "/forums/{forum}/meeting/grid", sec, h.saveGrid),
		rt("POST", "/forums/{forum}/meeting/sessions", sec, h.createSession),
		rt("POST", "/forums/{forum}/meeting/sessions/from-proposals", sec, h.sessionsFromProposals),
		rt("POST", "/forums/{forum}/meeting/solve", sec, h.solveMeeting),
		rt("POST", "/forums/{forum}/meeting/publish", sec, h.publishMeeting),
		rt("POST", "/forums/{forum}/meeting/edit", sec, h.editMeeting),
		rt("POST", "/forums/{forum}/meeting/limits", sec, h.saveTypeLimits),
		rt("GET", "/forums/{forum}/meeting/sessions", sec, h.meetingSessions),
		rt("GET", "/forums/{forum}/meeting/sessions/{id}", sec, h.editSessionPage),
		rt("POST", "/forums/{forum}/meeting/sessions/{id}", sec, h.updateSession),
		rt("POST", "/forums/{forum}/meeting/sessions/{id}/delete", sec, h.deleteSession),
		rt("GET", "/forums/{forum}/meeting/rooms/{id}", sec, h.editRoomPage),
		rt("POST", "/forums/{forum}/meeting/rooms/{id}", sec, h.updateRoom),
		rt("POST", "/forums/{forum}/meeting/rooms/{id}/delete", sec, h.deleteRoom),
	}
}

func (h *Handler) healthz(w http.ResponseWriter, r *http.Request) {
	if err := h.s.DB.SQL().PingContext(r.Context()); err != nil {
		http.Error(w, "database unreachable", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}
