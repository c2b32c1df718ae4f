-- A booking job's hold on a delivery_claim row, apart from when the row is next due.
-- Until now next_attempt_at was both: claimDue pushed it to the end of the lease, and a
-- wake-up (a Yango callback, a journal event: "look now") set it to now, which ended the
-- lease early and let another instance take a row whose accept was still in flight.
-- Now claimDue takes only rows due AND not held; a wake-up only makes a row due; the
-- holder's record releases the hold and keeps a wake-up that came during it.
ALTER TABLE delivery_claim ADD COLUMN leased_until timestamptz;
