package ci.monepiceriz.shared;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reading a provider's answer (CinetPay, Yango) as the adapters do: a JSON object, or
 * nothing usable. Each adapter then decides what an unusable body means.
 */
public final class JsonBodies {

	private JsonBodies() {
	}

	/** The body's JSON object; null when empty, not JSON, or JSON but not an object. */
	public static JsonNode object(JsonMapper json, byte[] body) {
		if (body == null || body.length == 0) {
			return null;
		}
		try {
			JsonNode root = json.readTree(body);
			return root != null && root.isObject() ? root : null;
		}
		catch (JacksonException ex) {
			return null;
		}
	}

}
