package ci.monepiceriz.ordering;

import ci.monepiceriz.ordering.domain.OrderStatus;

/** What became of a request to move an order to another status. */
public sealed interface TransitionOutcome permits TransitionOutcome.Moved, TransitionOutcome.NotFound,
		TransitionOutcome.Illegal, TransitionOutcome.Conflict {

	/** Done: the order is now in {@code to}, at {@code version}. */
	record Moved(String number, OrderStatus from, OrderStatus to, int version) implements TransitionOutcome {
	}

	record NotFound(String number) implements TransitionOutcome {
	}

	/** The state machine has no such move from the order's current status. */
	record Illegal(OrderStatus from, OrderStatus to) implements TransitionOutcome {
	}

	/**
	 * Someone changed the order since the version the caller saw (or while this move was
	 * being made); nothing was written.
	 */
	record Conflict(int currentVersion) implements TransitionOutcome {
	}

}
