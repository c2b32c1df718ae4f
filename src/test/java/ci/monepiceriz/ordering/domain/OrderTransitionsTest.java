package ci.monepiceriz.ordering.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every pair of statuses, against the table of PRODUCT.md §5. */
class OrderTransitionsTest {

	private static final Set<String> LEGAL = Set.of("PENDING>CONFIRMED", "PENDING>CANCELLED", "CONFIRMED>PREPARING",
			"CONFIRMED>CANCELLED", "PREPARING>READY", "READY>COMPLETED");

	@ParameterizedTest
	@EnumSource(OrderStatus.class)
	void allowsExactlyTheMovesOfTheWorkflow(OrderStatus from) {
		for (OrderStatus to : OrderStatus.values()) {
			assertThat(OrderTransitions.isLegal(from, to)).as(from + " -> " + to)
				.isEqualTo(LEGAL.contains(from + ">" + to));
		}
	}

	@ParameterizedTest
	@EnumSource(OrderStatus.class)
	void finalStatusesLeadNowhere(OrderStatus status) {
		assertThat(OrderTransitions.next(status).isEmpty()).isEqualTo(status.isFinal());
	}

	@ParameterizedTest
	@EnumSource(OrderStatus.class)
	void onlyCancellationGivesStockBack(OrderStatus to) {
		assertThat(OrderTransitions.releasesStock(to)).isEqualTo(to == OrderStatus.CANCELLED);
	}

	@ParameterizedTest
	@EnumSource(OrderStatus.class)
	void everyStatusHasAFrenchLabel(OrderStatus status) {
		assertThat(status.label()).isNotBlank();
		assertThat(EnumSet.allOf(OrderStatus.class).stream().map(OrderStatus::label).distinct()).hasSize(6);
	}

}
