package service

import (
	"context"
	"slices"
	"time"

	"databank/domain"
)

type dataReturnStore interface {
	ReturnCandidates(ctx context.Context, biobankID string) ([]domain.Withdrawal, error)
	WithdrawalsByStudyIDs(ctx context.Context, studyIDs []string) (map[string][]domain.Withdrawal, error)
}

// StudyExchangesByIDs sums, for each study, what it took (withdrawals,
// material by unit) and gave back (data returns and files), today
// (batch loading).
func (s *Service) StudyExchangesByIDs(ctx context.Context, studyIDs []string) ([]domain.StudyExchange, error) {
	return run(ctx, s, "StudyExchangesByIDs", func() ([]domain.StudyExchange, error) {
		byStudy, err := s.store.WithdrawalsByStudyIDs(ctx, studyIDs)
		if err != nil {
			return nil, err
		}
		var all []domain.Withdrawal
		for _, id := range studyIDs {
			all = append(all, byStudy[id]...)
		}
		rs, err := s.dataReturns(ctx, all, today())
		if err != nil {
			return nil, err
		}
		out := make([]domain.StudyExchange, len(studyIDs))
		at := 0
		for i, id := range studyIDs {
			n := len(byStudy[id])
			out[i] = domain.SumExchange(id, byStudy[id], rs[at:at+n])
			at += n
		}
		return out, nil
	})
}

// DataReturnsByIDs decides the data return of each withdrawal today
// (batch loading).
func (s *Service) DataReturnsByIDs(ctx context.Context, withdrawalIDs []string) ([]domain.DataReturn, error) {
	return run(ctx, s, "DataReturnsByIDs", func() ([]domain.DataReturn, error) {
		ws, err := s.store.WithdrawalsByIDs(ctx, withdrawalIDs)
		if err == nil {
			ws, err = keepReadable(ctx, s, "Withdrawal", withdrawalID, ws)
		}
		if err != nil {
			return nil, err
		}
		return s.dataReturns(ctx, ws, today())
	})
}

// OverdueDataReturns lists a biobank's withdrawals whose data return is
// overdue on asOf (zero: today), most overdue first.
func (s *Service) OverdueDataReturns(ctx context.Context, biobankCode string, asOf time.Time) ([]domain.OverdueReturn, error) {
	return run(ctx, s, "OverdueDataReturns", func() ([]domain.OverdueReturn, error) {
		id, err := s.biobankID(ctx, "biobank", biobankCode)
		if err != nil {
			return nil, err
		}
		if id == "" {
			return nil, invalid("biobank", "", "is required")
		}
		if err := s.inScope(ctx, id); err != nil {
			return nil, err
		}
		if asOf.IsZero() {
			asOf = today()
		}
		ws, err := s.store.ReturnCandidates(ctx, id)
		if err != nil {
			return nil, err
		}
		rs, err := s.dataReturns(ctx, ws, asOf)
		if err != nil {
			return nil, err
		}
		var out []domain.OverdueReturn
		for i, r := range rs {
			if r.Status == domain.ReturnOverdue {
				out = append(out, domain.OverdueReturn{Withdrawal: ws[i], Return: r})
			}
		}
		slices.SortStableFunc(out, func(a, b domain.OverdueReturn) int { return b.Return.DaysOverdue - a.Return.DaysOverdue })
		return out, nil
	})
}

// dataReturns decides the returns of ws on asOf, in ws's order: the
// donors' consents in force on each withdrawal's day, and the returned
// files, in a fixed number of statements.
func (s *Service) dataReturns(ctx context.Context, ws []domain.Withdrawal, asOf time.Time) ([]domain.DataReturn, error) {
	if len(ws) == 0 {
		return nil, nil
	}
	ids, sampleIDs := make([]string, len(ws)), make([]string, len(ws))
	for i, w := range ws {
		ids[i], sampleIDs[i] = w.ID, w.SampleID
	}
	samples, err := s.store.SamplesByIDs(ctx, sampleIDs)
	if err != nil {
		return nil, err
	}
	donorOf := map[string]string{}
	var donorIDs []string
	for _, x := range samples {
		donorOf[x.ID] = x.DonorID
		donorIDs = append(donorIDs, x.DonorID)
	}
	consents, err := s.store.ConsentsByDonorIDs(ctx, donorIDs)
	if err != nil {
		return nil, err
	}
	files, err := s.store.DataFilesByWithdrawalIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]domain.DataReturn, len(ws))
	for i := range ws {
		w := &ws[i]
		out[i] = domain.DecideDataReturn(w, domain.CurrentConsent(consents[donorOf[w.SampleID]], w.WithdrawnOn), files[w.ID], asOf)
	}
	return out, nil
}
