package ci.monepiceriz.shared;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

import io.netty.channel.ChannelException;
import io.netty.handler.timeout.ReadTimeoutException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.web.reactive.function.client.WebClientException;

/**
 * How a call to a provider failed on the way, as opposed to a bug of ours: the adapters
 * turn these into "provider unavailable" (and retry idempotent calls), and let anything
 * else propagate.
 */
public final class TransportFailures {

	private TransportFailures() {
	}

	/**
	 * True for failures of the network or the exchange, before or while the answer is
	 * read: {@code WebClient}'s own (connection refused, reset before the answer), a
	 * connection closed or reset while the body streams ({@code PrematureCloseException}
	 * and other {@link IOException}s), Netty's read timeout once the headers are in (a
	 * {@link ChannelException}), a body over the codec's limit, and a
	 * {@link TimeoutException} from a backstop {@code timeout()}.
	 */
	public static boolean transport(Throwable failure) {
		return failure instanceof WebClientException || failure instanceof IOException
				|| failure instanceof ChannelException || failure instanceof DataBufferLimitException
				|| failure instanceof TimeoutException;
	}

	/** True when the failure is the provider not answering in time, at any stage. */
	public static boolean timedOut(Throwable failure) {
		return failure instanceof TimeoutException || failure instanceof ReadTimeoutException
				|| failure.getCause() instanceof ReadTimeoutException;
	}

}
