package ci.monepiceriz.payment.cinetpay;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import reactor.core.publisher.Mono;

/**
 * The new CinetPay API's Bearer token, cached per instance (cinetpay.md §1.10): one login
 * serves every call until the token's end of life or until CinetPay says it expired
 * ({@code EXPIRED_TOKEN}, {@code INVALID_TOKEN}); then one new login, shared by all the
 * calls that need it at that moment (no burst of logins when many requests find the token
 * stale at once). A failed login is not cached: the next call tries again. Time comes
 * from the injected clock. Thread-safe without locks.
 */
final class CinetPayAccessTokens {

	/** A Bearer token and when we stop using it. Never shown. */
	record AccessToken(String value, Instant expiresAt) {

		AccessToken {
			Objects.requireNonNull(value, "value");
			Objects.requireNonNull(expiresAt, "expiresAt");
		}

		boolean usableAt(Instant now) {
			return now.isBefore(expiresAt);
		}

		@Override
		public String toString() {
			return "AccessToken[expiresAt=" + expiresAt + "]";
		}

	}

	private final Supplier<Mono<AccessToken>> login;

	private final Clock clock;

	private final AtomicReference<AccessToken> current = new AtomicReference<>();

	private final AtomicReference<Mono<AccessToken>> loggingIn = new AtomicReference<>();

	/**
	 * @param login one login call (cold): the token, or an error when CinetPay refused or
	 * did not answer
	 */
	CinetPayAccessTokens(Supplier<Mono<AccessToken>> login, Clock clock) {
		this.login = login;
		this.clock = clock;
	}

	/** The cached token while it is usable, else the one a (shared) login gets. */
	Mono<AccessToken> get() {
		return Mono.defer(() -> {
			AccessToken token = current.get();
			if (token != null && token.usableAt(clock.instant())) {
				return Mono.just(token);
			}
			return sharedLogin();
		});
	}

	/**
	 * A token to use instead of {@code rejected}, which CinetPay refused: a token another
	 * call got meanwhile, or a new login.
	 */
	Mono<AccessToken> renew(AccessToken rejected) {
		return Mono.defer(() -> {
			current.compareAndSet(rejected, null);
			return get();
		});
	}

	private Mono<AccessToken> sharedLogin() {
		Mono<AccessToken> running = loggingIn.get();
		if (running != null) {
			return running;
		}
		AtomicReference<Mono<AccessToken>> self = new AtomicReference<>();
		Mono<AccessToken> fresh = Mono.defer(login)
			.doOnNext(current::set)
			.doFinally(signal -> loggingIn.compareAndSet(self.get(), null))
			.cache();
		self.set(fresh);
		return loggingIn.compareAndSet(null, fresh) ? fresh : sharedLoginOr(fresh);
	}

	/** Another call started a login between our look and our attempt: join it. */
	private Mono<AccessToken> sharedLoginOr(Mono<AccessToken> ours) {
		Mono<AccessToken> running = loggingIn.get();
		return running != null ? running : ours;
	}

}
