package ci.monepiceriz.shared.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.util.unit.DataSize;

import tools.jackson.databind.json.JsonMapper;

class ProblemExceptionHandlerTest {

	private final ProblemExceptionHandler handler = new ProblemExceptionHandler(JsonMapper.builder().build(), List.of(),
			ServerCodecConfigurer.create(), new RequestLimits(new RequestLimits.HttpLimits(DataSize.ofKilobytes(256))));

	@Test
	void noConnectionInTimeIsAServiceUnavailableNotABug() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/api/orders"));

		handler
			.handle(exchange, new CannotCreateTransactionException("Could not open R2DBC Connection for transaction"))
			.block(Duration.ofSeconds(5));

		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("5");
		assertThat(exchange.getResponse().getBodyAsString().block(Duration.ofSeconds(5)))
			.contains("\"code\":\"service-unavailable\"");
	}

	@Test
	void anUnknownFailureIsStillAnInternalError() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/products"));

		handler.handle(exchange, new IllegalStateException("bug")).block(Duration.ofSeconds(5));

		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
	}

}
