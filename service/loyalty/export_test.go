package loyalty

// SetRebuildPause makes leaderboard rebuilds call pause between reading PostgreSQL and
// writing Redis (tests of that window).
func (s *Service) SetRebuildPause(pause func()) { s.rebuildPause = pause }

// SetCommitPause makes pause run after a commit, before its earnings reach Redis.
func (s *Service) SetCommitPause(pause func()) { s.commitPause = pause }
