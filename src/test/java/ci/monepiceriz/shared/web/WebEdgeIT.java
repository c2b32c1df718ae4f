package ci.monepiceriz.shared.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import ci.monepiceriz.support.IntegrationTest;

/**
 * What every caller gets whatever the route: problems, security headers, request ids,
 * limits.
 */
@IntegrationTest
class WebEdgeIT {

	@Autowired
	WebTestClient web;

	@Test
	void anUnknownRouteIsANotFoundProblem() {
		web.get()
			.uri("/api/nulle-part")
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo("https://api.monepiceriz.ci/problems/route-not-found")
			.jsonPath("$.title")
			.isEqualTo("Ressource introuvable")
			.jsonPath("$.instance")
			.isEqualTo("/api/nulle-part");
	}

	@Test
	void aWrongMethodIsAMethodNotAllowedProblem() {
		web.post()
			.uri("/api/products")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{}")
			.exchange()
			.expectStatus()
			.isEqualTo(405)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectHeader()
			.value(HttpHeaders.ALLOW, allow -> assertThat(allow).contains("GET"))
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("method-not-allowed");
	}

	@Test
	void headWorksWhereverGetDoes() {
		String etag = web.get()
			.uri("/api/products/poisson-capitaine")
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(String.class)
			.getResponseHeaders()
			.getETag();
		web.head()
			.uri("/api/products/poisson-capitaine")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals(HttpHeaders.ETAG, etag)
			.expectBody()
			.isEmpty();
		web.head().uri("/api/products/produit-inexistant").exchange().expectStatus().isNotFound();
	}

	@Test
	void problemsVaryWithTheCallersLanguage() {
		for (String uri : new String[] { "/api/products?limit=0", "/api/nulle-part", "/api/products/inconnu" }) {
			web.get().uri(uri).exchange().expectHeader().valueEquals(HttpHeaders.VARY, HttpHeaders.ACCEPT_LANGUAGE);
		}
	}

	@Test
	void aBodyAboveTheLimitIsRefusedBeforeItIsRead() {
		byte[] huge = new byte[300 * 1024];
		web.put()
			.uri("/api/products")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(huge)
			.header("Accept-Language", "en")
			.exchange()
			.expectStatus()
			.isEqualTo(413)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("payload-too-large")
			.jsonPath("$.detail")
			.isEqualTo("The request body exceeds the maximum size of 262144 bytes.");
	}

	@Test
	void everyResponseCarriesTheSecurityHeaders() {
		for (String uri : new String[] { "/api/products?limit=1", "/api/nulle-part", "/api/products?limit=0",
				"/api/health", "/actuator/health/liveness", "/api/catalog/export" }) {
			web.get()
				.uri(uri)
				.exchange()
				.expectHeader()
				.valueEquals("X-Frame-Options", "SAMEORIGIN")
				.expectHeader()
				.valueEquals("X-Content-Type-Options", "nosniff")
				.expectHeader()
				.valueEquals("Referrer-Policy", "strict-origin-when-cross-origin")
				.expectHeader()
				.valueEquals("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
		}
	}

	@Test
	void everyResponseCarriesARequestIdAndKeepsASaneOneFromTheCaller() {
		web.get()
			.uri("/api/categories")
			.header("X-Request-Id", "checkout-42.a_b")
			.exchange()
			.expectHeader()
			.valueEquals("X-Request-Id", "checkout-42.a_b");
		web.get()
			.uri("/api/categories")
			.header("X-Request-Id", "bad id with spaces")
			.exchange()
			.expectHeader()
			.value("X-Request-Id", id -> assertThat(id).matches("[0-9a-f-]{36}"));
		web.get()
			.uri("/api/nulle-part")
			.exchange()
			.expectHeader()
			.value("X-Request-Id", id -> assertThat(id).isNotBlank());
	}

	@Test
	void problemsAreInFrenchUnlessTheCallerPrefersEnglish() {
		web.get()
			.uri("/api/products?limit=0")
			.exchange()
			.expectHeader()
			.valueEquals(HttpHeaders.CONTENT_LANGUAGE, "fr")
			.expectBody()
			.jsonPath("$.errors[0].detail")
			.isEqualTo("doit être un nombre entier entre 1 et 100");
		web.get()
			.uri("/api/products?limit=0")
			.header("Accept-Language", "en-GB,en;q=0.8,fr;q=0.5")
			.exchange()
			.expectHeader()
			.valueEquals(HttpHeaders.CONTENT_LANGUAGE, "en")
			.expectBody()
			.jsonPath("$.errors[0].detail")
			.isEqualTo("must be a whole number between 1 and 100");
	}

	@Test
	void theContractIsServed() {
		web.get()
			.uri("/api/openapi.yaml")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith("application/yaml")
			.expectBody(String.class)
			.value(yaml -> assertThat(yaml).startsWith("openapi: 3.1"));
	}

}
