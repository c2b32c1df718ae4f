package ci.monepiceriz.shared;

import java.net.URI;

/**
 * The base URL settings of the provider adapters (CinetPay, Yango, GA4), checked once at
 * start-up the same way: stripped, without trailing slashes, and an absolute http(s) URL,
 * else the service refuses to start naming the setting.
 */
public final class HttpUrls {

	private HttpUrls() {
	}

	/**
	 * {@code value} stripped and without trailing slashes, if it is an http(s) URL with a
	 * host; otherwise an {@link IllegalArgumentException} naming {@code key} (the
	 * setting, e.g. {@code shop.delivery.yango.base-url}).
	 */
	public static String checked(String key, String value) {
		String url = value == null ? "" : value.strip();
		while (url.endsWith("/")) {
			url = url.substring(0, url.length() - 1);
		}
		URI uri;
		try {
			uri = URI.create(url);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(key + " is not a URL: " + value);
		}
		if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
			throw new IllegalArgumentException(key + " must be an http(s) URL: " + value);
		}
		return url;
	}

}
