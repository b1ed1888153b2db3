package campaigns

// CampaignStatus is whether a sign-in campaign or a lottery runs. It is kept as the
// active flag of its row; no operation changes it yet (so it has no transition table):
// a closed campaign takes no sign-ins or draws.
type CampaignStatus string

// The campaign statuses.
const (
	CampaignRunning CampaignStatus = "running"
	CampaignClosed  CampaignStatus = "closed"
)

// statusOf is the status an active flag stands for.
func statusOf(active bool) CampaignStatus {
	if active {
		return CampaignRunning
	}
	return CampaignClosed
}

// running checks that a campaign may be joined: CAMPAIGN_CLOSED otherwise.
func running(status CampaignStatus) error {
	if status != CampaignRunning {
		return ErrCampaignClosed
	}
	return nil
}
