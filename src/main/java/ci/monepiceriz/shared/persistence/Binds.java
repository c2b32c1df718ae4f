package ci.monepiceriz.shared.persistence;

import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;

/** Binding parameters that may be null (R2DBC needs the type of a null). */
public final class Binds {

	private Binds() {
	}

	/** {@code value} bound to {@code name}, or a null of {@code type}. */
	public static GenericExecuteSpec nullable(GenericExecuteSpec spec, String name, Object value, Class<?> type) {
		return value == null ? spec.bindNull(name, type) : spec.bind(name, value);
	}

}
