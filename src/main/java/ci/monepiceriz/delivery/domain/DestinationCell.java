package ci.monepiceriz.delivery.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * A destination rounded to a grid of 0.001° (about 111 m north-south, 110 m east-west in
 * Abidjan, 5° N): the unit that is priced, cached and remembered. Every point of a cell
 * gets the quote of its centre, so a cached quote is exactly the answer the provider gave
 * for the point it would be asked about, and a shopper moving the pin by a few metres
 * keeps the fee just quoted.
 *
 * @param latitudeE3 the latitude in thousandths of a degree
 * @param longitudeE3 the longitude in thousandths of a degree
 */
public record DestinationCell(int latitudeE3, int longitudeE3) {

	private static final int SCALE = 1000;

	public DestinationCell {
		if (latitudeE3 < -90 * SCALE || latitudeE3 > 90 * SCALE || longitudeE3 < -180 * SCALE
				|| longitudeE3 > 180 * SCALE) {
			throw new IllegalArgumentException("not a geo cell: " + latitudeE3 + "," + longitudeE3);
		}
	}

	/**
	 * The cell holding a point: each coordinate rounded to the nearest thousandth of a
	 * degree, a half away from zero, on the decimal the client sent ({@code -4.0105} →
	 * {@code -4.011}, as a storefront rounding its pin's text would), never on the binary
	 * product {@code x * 1000} (where {@code -4.0105} is {@code -4010.4999…}).
	 */
	public static DestinationCell of(double latitude, double longitude) {
		return new DestinationCell(thousandths(latitude), thousandths(longitude));
	}

	private static int thousandths(double degrees) {
		return BigDecimal.valueOf(degrees).setScale(3, RoundingMode.HALF_UP).movePointRight(3).intValueExact();
	}

	public static DestinationCell of(Destination destination) {
		return of(destination.latitude(), destination.longitude());
	}

	/** The centre's latitude, in degrees. */
	public double latitude() {
		return latitudeE3 / (double) SCALE;
	}

	/** The centre's longitude, in degrees. */
	public double longitude() {
		return longitudeE3 / (double) SCALE;
	}

	/** A stable text key, e.g. {@code 5.35,-4.01} → {@code 5350:-4010}. */
	public String key() {
		return latitudeE3 + ":" + longitudeE3;
	}

}
