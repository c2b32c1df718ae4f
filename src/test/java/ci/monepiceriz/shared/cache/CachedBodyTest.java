package ci.monepiceriz.shared.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class CachedBodyTest {

	@Test
	void survivesTheRedisEncodingByteForByte() {
		CachedBody body = CachedBody.of("{\"name\":\"Épices\"}\n".getBytes(StandardCharsets.UTF_8));
		assertThat(CachedBody.decode(body.encode())).isEqualTo(body);
	}

	@Test
	void theTagFollowsTheExactBytes() {
		CachedBody one = CachedBody.of("{\"price\":4500}".getBytes(StandardCharsets.UTF_8));
		CachedBody same = CachedBody.of("{\"price\":4500}".getBytes(StandardCharsets.UTF_8));
		CachedBody other = CachedBody.of("{\"price\":4600}".getBytes(StandardCharsets.UTF_8));
		assertThat(one.etag()).isEqualTo(same.etag()).isNotEqualTo(other.etag());
		assertThat(one.quotedEtag()).startsWith("\"").endsWith("\"").hasSize(24);
	}

}
