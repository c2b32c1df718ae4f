package ci.monepiceriz.ordering;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import ci.monepiceriz.ordering.PayableOrder.Payability;
import ci.monepiceriz.ordering.domain.OrderStatus;
import ci.monepiceriz.ordering.domain.PaymentStatus;

class PayableOrderTest {

	private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

	private static PayableOrder order(OrderStatus status, PaymentStatus payment, Instant deadline) {
		return new PayableOrder("MER-20261126-0001", status, payment, 5000, deadline, "Awa Koné", "+2250707123456",
				null);
	}

	@Test
	void onlyAPendingUnpaidOrderWithinItsWindowIsPayable() {
		assertThat(order(OrderStatus.PENDING, PaymentStatus.UNPAID, NOW.plusSeconds(1)).payability(NOW))
			.isEqualTo(Payability.PAYABLE);
		assertThat(order(OrderStatus.PENDING, PaymentStatus.UNPAID, NOW).payability(NOW))
			.isEqualTo(Payability.WINDOW_CLOSED);
		assertThat(order(OrderStatus.PENDING, PaymentStatus.UNPAID, null).payability(NOW))
			.isEqualTo(Payability.WINDOW_CLOSED);
		assertThat(order(OrderStatus.CANCELLED, PaymentStatus.UNPAID, null).payability(NOW))
			.isEqualTo(Payability.NOT_PENDING);
		assertThat(order(OrderStatus.CONFIRMED, PaymentStatus.PAID, null).payability(NOW))
			.isEqualTo(Payability.ALREADY_PAID);
	}

}
