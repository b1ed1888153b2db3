package billing

// SetBatch sets the batch size of runs and a hook called after each batch committed
// (an error fails the run there, as a crash would).
func (s *Service) SetBatch(n int, after func(batch int) error) { s.batchSize, s.afterBatch = n, after }
