package ci.monepiceriz.delivery.domain;

/** Where a delivery goes: the address as typed, and its geo point (WGS 84). */
public record Destination(String address, double latitude, double longitude) {

	public Destination {
		if (latitude < -90 || latitude > 90 || longitude < -180 || longitude > 180) {
			throw new IllegalArgumentException("not a geo point: " + latitude + "," + longitude);
		}
	}

}
