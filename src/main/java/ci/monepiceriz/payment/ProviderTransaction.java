package ci.monepiceriz.payment;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A transaction as the provider's check call describes it, normalised: text fields are
 * never null (blank when absent), the amount is whole XOF when the provider gave one
 * (CinetPay sends it as a string), and dates are absent when the provider sent a blank
 * one (CinetPay sends {@code " "} for a refused payment).
 *
 * @param transactionId the transaction asked about (CinetPay does not echo it)
 * @param code the provider's answer code ({@code "00"}, {@code "627"}, ...)
 * @param message the provider's message ({@code SUCCES}, {@code TRANSACTION_CANCEL}, ...)
 * @param status the provider's transaction status ({@code ACCEPTED}, {@code REFUSED},
 * {@code WAITING_FOR_CUSTOMER}, ...)
 * @param amount the amount in XOF
 * @param currency the currency, e.g. {@code XOF}
 * @param paymentMethod {@code OM}, {@code MOMO}, {@code FLOOZ}, {@code WAVECI}, ...
 * @param operatorId the mobile-money operator's reference
 * @param metadata what we sent as metadata (the order number)
 * @param paymentDate when it was paid (UTC: Abidjan's time)
 * @param fundAvailabilityDate when the funds reach the merchant's balance
 */
public record ProviderTransaction(String transactionId, String code, String message, String status, OptionalLong amount,
		String currency, String paymentMethod, String operatorId, String metadata, Optional<Instant> paymentDate,
		Optional<Instant> fundAvailabilityDate) {

	public ProviderTransaction {
		Objects.requireNonNull(transactionId, "transactionId");
		Objects.requireNonNull(code, "code");
		Objects.requireNonNull(message, "message");
		Objects.requireNonNull(status, "status");
		Objects.requireNonNull(amount, "amount");
		Objects.requireNonNull(currency, "currency");
		Objects.requireNonNull(paymentMethod, "paymentMethod");
		Objects.requireNonNull(operatorId, "operatorId");
		Objects.requireNonNull(metadata, "metadata");
		Objects.requireNonNull(paymentDate, "paymentDate");
		Objects.requireNonNull(fundAvailabilityDate, "fundAvailabilityDate");
	}

}
