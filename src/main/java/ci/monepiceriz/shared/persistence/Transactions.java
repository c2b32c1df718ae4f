package ci.monepiceriz.shared.persistence;

import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;

import reactor.core.publisher.Mono;

/**
 * Database work that runs to its end once started. A client that hangs up cancels its
 * request's subscription; cancelling r2dbc-postgresql mid-conversation can leave the
 * pooled connection stuck for good (r2dbc-postgresql issue 459), and cancelling a
 * transaction halfway would throw away work the client may retry (an order it will ask
 * for again with the same idempotency key). So the work is detached from its subscriber:
 * it commits or rolls back on its own, and a vanished subscriber just drops the result.
 */
@Component
public class Transactions {

	private final TransactionalOperator operator;

	Transactions(TransactionalOperator operator) {
		this.operator = operator;
	}

	/** {@code work} in one transaction, committed when it completes, run to its end. */
	public <T> Mono<T> inTransaction(Mono<T> work) {
		return uncancellable(operator.transactional(work));
	}

	/** {@code query} run to its end even when its subscriber goes away. */
	public static <T> Mono<T> uncancellable(Mono<T> query) {
		return Mono.defer(() -> Mono.fromFuture(query.toFuture(), true));
	}

}
