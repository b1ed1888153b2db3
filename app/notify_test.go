package app_test

import "testing"

// TestNotifyOperationsByCaller: the shopper operations refuse staff and anonymous
// callers; a shopper not registered yet gets MEMBER_NOT_REGISTERED; the staff
// operations refuse shoppers; every viewer may read their own (empty) inbox.
func TestNotifyOperationsByCaller(t *testing.T) {
	t.Parallel()
	e := setup(t)
	login := e.do("", loginWeChatQ, map[string]any{"c": "code-notify"})
	shopper, _ := path(login.Data, "loginWeChat", "accessToken").(string)
	admin, _ := e.login("admin")
	const grants = `mutation { reportSubscribeGrants(templateIds: ["x"]) { grants { templateId } userErrors { code } } }`
	const prefs = `{ myNotificationPreferences { kind channel enabled mandatory } }`
	const group = `mutation($m: ID!) { sendGroupMessage(input: {mallId: $m, title: "t", body: "b", segment: {}}) {
		groupMessage { id } userErrors { code } } }`
	const inbox = `{ myMessages { edges { node { id } } } }`
	for name, c := range map[string]struct {
		token, query string
		vars         map[string]any
		wantErr      bool
	}{
		"staff reporting grants":        {admin, grants, nil, true},
		"anonymous reading preferences": {"", prefs, nil, true},
		"staff reading preferences":     {admin, prefs, nil, true},
		"a shopper sending a group message": {shopper, group,
			map[string]any{"m": "TWFsbDowMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDA"}, true},
		"anonymous inbox":      {"", inbox, nil, true},
		"a shopper's inbox":    {shopper, inbox, nil, false},
		"a staff member inbox": {admin, inbox, nil, false},
	} {
		t.Run(name, func(t *testing.T) {
			r := e.do(c.token, c.query, c.vars)
			if got := len(r.Errors) > 0; got != c.wantErr {
				t.Fatalf("errors %v, want errors: %v (data %v)", r.Errors, c.wantErr, r.Data)
			}
		})
	}
}
