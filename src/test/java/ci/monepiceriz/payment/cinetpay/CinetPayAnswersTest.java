package ci.monepiceriz.payment.cinetpay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

import ci.monepiceriz.payment.Initialisation;
import ci.monepiceriz.payment.PaymentCheck;
import tools.jackson.databind.json.JsonMapper;

/** The edges of CinetPay's answers that the stubs do not cover. */
class CinetPayAnswersTest {

	private final JsonMapper json = JsonMapper.builder().build();

	private final CinetPayAnswers answers = new CinetPayAnswers(json);

	@Test
	void readsAmountsGivenAsTextOrNumbersAndNothingElse() {
		assertThat(CinetPayAnswers.amount(json.readTree("\"5000\""))).isEqualTo(OptionalLong.of(5000));
		assertThat(CinetPayAnswers.amount(json.readTree(" \"5000.00\" "))).isEqualTo(OptionalLong.of(5000));
		assertThat(CinetPayAnswers.amount(json.readTree("5000"))).isEqualTo(OptionalLong.of(5000));
		assertThat(CinetPayAnswers.amount(json.readTree("\"5000.5\""))).isEmpty();
		assertThat(CinetPayAnswers.amount(json.readTree("\"cinq mille\""))).isEmpty();
		assertThat(CinetPayAnswers.amount(json.readTree("{\"a\":null}").path("a"))).isEmpty();
		assertThat(CinetPayAnswers.amount(json.readTree("\" \""))).isEmpty();
	}

	@Test
	void readsDatesWithoutZoneAsUtcAndBlankOrOddOnesAsAbsent() {
		assertThat(CinetPayAnswers.dateTime("2022-09-15 22:57:15")).contains(Instant.parse("2022-09-15T22:57:15Z"));
		assertThat(CinetPayAnswers.dateTime(" ")).isEmpty();
		assertThat(CinetPayAnswers.dateTime("")).isEmpty();
		assertThat(CinetPayAnswers.dateTime("15/09/2022")).isEmpty();
	}

	@Test
	void anAcceptedStatusWithoutAReadableAmountIsNotAPayment() {
		assertThat(check(
				"{\"code\":\"00\",\"message\":\"SUCCES\",\"data\":{\"status\":\"ACCEPTED\",\"currency\":\"XOF\"}}"))
			.isEqualTo(new PaymentCheck.Unknown("TX", "00", "ACCEPTED without a readable amount or currency"));
	}

	@Test
	void anAcceptedStatusWithAnotherCodeIsNotAPayment() {
		assertThat(check("{\"code\":\"662\",\"message\":\"X\",\"data\":{\"status\":\"ACCEPTED\",\"amount\":\"100\","
				+ "\"currency\":\"XOF\"}}"))
			.isInstanceOf(PaymentCheck.Unknown.class);
	}

	@Test
	void neverComparesTheSuccessMessage() {
		assertThat(
				check("{\"code\":\"00\",\"message\":\"SUCCESS\",\"data\":{\"status\":\"accepted\",\"amount\":\"100\","
						+ "\"currency\":\"XOF\"}}"))
			.isInstanceOf(PaymentCheck.Accepted.class);
	}

	@Test
	void anUnreadableAnswerIsUnknownOrRefusedNeverAnError() {
		assertThat(check("<html></html>"))
			.isEqualTo(new PaymentCheck.Unknown("TX", "", "unreadable answer (HTTP 200)"));
		assertThat(check("[]")).isInstanceOf(PaymentCheck.Unknown.class);
		assertThat(check("")).isInstanceOf(PaymentCheck.Unknown.class);
		assertThat(answers.initialisation("TX", 200, "{\"code\":\"201\",\"data\":{}}".getBytes(StandardCharsets.UTF_8)))
			.isEqualTo(new Initialisation.Refused("TX", "201", "", ""));
	}

	private PaymentCheck check(String body) {
		return answers.check("TX", 200, body.getBytes(StandardCharsets.UTF_8));
	}

}
