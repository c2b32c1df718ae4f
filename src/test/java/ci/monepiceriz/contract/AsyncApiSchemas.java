package ci.monepiceriz.contract;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Validation of published events against the schemas of the event contract
 * ({@code contracts/asyncapi.yaml}), shared by {@link AsyncApiContractIT},
 * {@link PaymentEventsContractIT} and the delivery tests ({@code YangoClaimsIT}: the
 * delivery facts as the outbox holds them).
 */
public final class AsyncApiSchemas {

	private final JsonNode spec;

	private final JsonMapper json;

	public AsyncApiSchemas(JsonNode spec, JsonMapper json) {
		this.spec = spec;
		this.json = json;
	}

	/** The schema at {@code pointer} in the contract, with the contract's components. */
	public List<Error> errors(String pointer, JsonNode instance) {
		ObjectNode root = json.createObjectNode();
		root.put("$ref", "#" + pointer);
		root.set("components", spec.get("components"));
		Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7).getSchema(root);
		return schema.validate(instance,
				context -> context.executionConfig(config -> config.formatAssertionsEnabled(true)));
	}

	/** The record's headers, as a JSON object of strings. */
	ObjectNode headers(ConsumerRecord<String, byte[]> record) {
		ObjectNode headers = json.createObjectNode();
		for (Header header : record.headers()) {
			headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
		}
		return headers;
	}

	static String type(ConsumerRecord<String, byte[]> record) {
		return new String(record.headers().lastHeader("type").value(), StandardCharsets.UTF_8);
	}

}
