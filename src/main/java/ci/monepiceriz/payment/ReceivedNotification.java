package ci.monepiceriz.payment;

import java.util.Map;
import java.util.Objects;

/**
 * A payment notification as it arrived, before anything about it is believed: its fields
 * (a form's or a JSON object's, each as the raw text received) and the signature header
 * that came with it.
 *
 * @param fields the notification's fields by name (legacy v2: {@code cpm_trans_id},
 * {@code cpm_amount}, ...; the new API: {@code merchant_transaction_id},
 * {@code notify_token}, ...)
 * @param signature the {@code x-token} header (legacy v2), null when absent
 */
public record ReceivedNotification(Map<String, String> fields, String signature) {

	public ReceivedNotification {
		fields = Map.copyOf(Objects.requireNonNull(fields, "fields"));
	}

	/** A field's raw value, empty when absent. */
	public String field(String name) {
		return fields.getOrDefault(name, "");
	}

}
