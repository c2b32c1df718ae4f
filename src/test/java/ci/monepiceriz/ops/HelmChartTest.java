package ci.monepiceriz.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * Lints and renders the Helm chart in {@code helm/monepiceriz} with the Helm library
 * embedded in helm-java (no helm binary, no cluster), and checks the rendered manifests
 * parsed as YAML.
 */
class HelmChartTest {

	private static final Path CHART = Path.of("helm", "monepiceriz").toAbsolutePath();

	private static final String RELEASE = "prod";

	private static final String FULLNAME = "prod-monepiceriz";

	private static final String DEFAULT_SECRET = "monepiceriz-secrets";

	private static final List<String> SECRET_VARIABLES = List.of("POSTGRES_PASSWORD", "CINETPAY_API_KEY",
			"CINETPAY_SITE_ID", "CINETPAY_SECRET_KEY", "CINETPAY_API_PASSWORD", "CINETPAY_NEW_API_KEY",
			"CINETPAY_NEW_API_PASSWORD", "YANGO_TOKEN", "ADMIN_JWT_SECRET");

	private static Manifests defaults;

	@BeforeAll
	static void renderDefaults() {
		assertThat(CHART.resolve("Chart.yaml")).exists();
		defaults = render(UnaryOperator.identity());
	}

	@Test
	void lintsWithoutErrors() {
		LintResult result = new Helm(CHART).lint().strict().call();

		assertThat(result.getMessages()).as("helm lint --strict messages")
			.noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
		assertThat(result.isFailed()).as("lint failed: %s", result.getMessages()).isFalse();
	}

	@Test
	void rendersOnlyTheExpectedKindsByDefault() {
		assertThat(defaults.kinds()).containsExactlyInAnyOrder("ConfigMap", "Deployment", "HorizontalPodAutoscaler",
				"PodDisruptionBudget", "Service", "ServiceAccount");
	}

	@Test
	void rendersProbesOnTheActuatorEndpoints() {
		Map<String, Object> container = defaults.container();

		assertThat(container.get("image")).isEqualTo("ghcr.io/monepiceriz/shop-backend:0.1.0");
		assertThat(list(container, "ports")).singleElement().satisfies(port -> {
			assertThat(map(port).get("name")).isEqualTo("http");
			assertThat(map(port).get("containerPort")).isEqualTo(8080);
		});
		assertHttpProbe(container, "livenessProbe", "/actuator/health/liveness");
		assertHttpProbe(container, "readinessProbe", "/actuator/health/readiness");
		assertHttpProbe(container, "startupProbe", "/actuator/health/liveness");

		// Flyway migrations run before the server listens: give start-up minutes, not
		// seconds.
		Map<String, Object> startup = map(container.get("startupProbe"));
		int startupBudget = (Integer) startup.get("periodSeconds") * (Integer) startup.get("failureThreshold");
		assertThat(startupBudget).isGreaterThanOrEqualTo(120);
	}

	@Test
	void setsResourcesAndAContainerAwareHeap() {
		Map<String, Object> container = defaults.container();

		Map<String, Object> resources = map(container.get("resources"));
		assertThat(map(resources.get("requests"))).containsEntry("cpu", "250m").containsEntry("memory", "512Mi");
		assertThat(map(resources.get("limits"))).containsEntry("memory", "768Mi");
		assertThat(plainEnv(container).get("JAVA_TOOL_OPTIONS")).contains("-XX:MaxRAMPercentage=75");
	}

	@Test
	void runsAsNonRootOnAReadOnlyFilesystemWithoutCapabilities() {
		Map<String, Object> pod = defaults.podSpec();
		Map<String, Object> container = defaults.container();

		Map<String, Object> security = map(container.get("securityContext"));
		assertThat(security).containsEntry("runAsNonRoot", true)
			.containsEntry("readOnlyRootFilesystem", true)
			.containsEntry("allowPrivilegeEscalation", false);
		assertThat(list(map(security.get("capabilities")), "drop")).containsExactly("ALL");
		assertThat(map(pod.get("securityContext"))).containsEntry("runAsNonRoot", true);

		assertThat(mountPath(container, "tmp")).isEqualTo("/tmp");
		assertThat(volume(pod, "tmp")).containsKey("emptyDir");
	}

	@Test
	void autoscalesOnCpuFromTwoReplicasByDefault() {
		Map<String, Object> hpa = defaults.get("HorizontalPodAutoscaler", FULLNAME);
		Map<String, Object> spec = map(hpa.get("spec"));

		assertThat(hpa.get("apiVersion")).isEqualTo("autoscaling/v2");
		assertThat(spec.get("minReplicas")).isEqualTo(2);
		assertThat((Integer) spec.get("maxReplicas")).isGreaterThanOrEqualTo(2);
		assertThat(map(spec.get("scaleTargetRef"))).containsEntry("kind", "Deployment").containsEntry("name", FULLNAME);
		Map<String, Object> metric = map(list(spec, "metrics").get(0));
		assertThat(map(metric.get("resource")).get("name")).isEqualTo("cpu");
		assertThat(map(map(metric.get("resource")).get("target"))).containsEntry("type", "Utilization");
		// The HPA owns the replica count: the Deployment must not reset it on every
		// upgrade.
		assertThat(map(defaults.deployment().get("spec"))).doesNotContainKey("replicas");
	}

	@Test
	void rendersAFixedReplicaCountWhenAutoscalingIsDisabled() {
		Manifests manifests = render(t -> t.set("hpa.enabled", false).set("replicaCount", 3));

		assertThat(manifests.kinds()).doesNotContain("HorizontalPodAutoscaler");
		assertThat(map(manifests.deployment().get("spec")).get("replicas")).isEqualTo(3);
	}

	@Test
	void keepsPodsAvailableDuringRolloutsAndDrains() {
		Map<String, Object> pdb = defaults.get("PodDisruptionBudget", FULLNAME);
		Map<String, Object> deploymentSpec = map(defaults.deployment().get("spec"));
		Map<String, Object> podLabels = map(map(map(deploymentSpec.get("template")).get("metadata")).get("labels"));

		assertThat(pdb.get("apiVersion")).isEqualTo("policy/v1");
		assertThat(map(pdb.get("spec")).get("minAvailable")).isEqualTo(1);
		Map<String, Object> pdbSelector = map(map(map(pdb.get("spec")).get("selector")).get("matchLabels"));
		assertThat(pdbSelector).isNotEmpty();
		assertThat(podLabels).containsAllEntriesOf(pdbSelector);

		Map<String, Object> strategy = map(deploymentSpec.get("strategy"));
		assertThat(strategy.get("type")).isEqualTo("RollingUpdate");
		assertThat(map(strategy.get("rollingUpdate")).get("maxUnavailable")).isEqualTo(0);

		Map<String, Object> antiAffinity = map(map(defaults.podSpec().get("affinity")).get("podAntiAffinity"));
		Map<String, Object> term = map(map(list(antiAffinity, "preferredDuringSchedulingIgnoredDuringExecution").get(0))
			.get("podAffinityTerm"));
		assertThat(term.get("topologyKey")).isEqualTo("kubernetes.io/hostname");
		assertThat(map(map(term.get("labelSelector")).get("matchLabels"))).isEqualTo(pdbSelector);
	}

	@Test
	void shutsDownGracefully() {
		Map<String, Object> pod = defaults.podSpec();
		Map<String, Object> preStop = map(map(defaults.container().get("lifecycle")).get("preStop"));

		List<Object> command = list(map(preStop.get("exec")), "command");
		assertThat(command).first().isEqualTo("sleep");
		int sleep = Integer.parseInt((String) command.get(1));
		assertThat(sleep).isPositive();
		assertThat((Integer) pod.get("terminationGracePeriodSeconds")).isGreaterThan(sleep);
	}

	@Test
	void putsNonSecretSettingsInTheConfigMapLoadedByThePods() {
		Map<String, Object> data = map(defaults.get("ConfigMap", FULLNAME).get("data"));

		assertThat(data).containsEntry("SPRING_PROFILES_ACTIVE", "prod")
			.containsEntry("POSTGRES_PORT", "5432")
			.containsEntry("REDIS_PORT", "6379")
			.containsKeys("POSTGRES_HOST", "POSTGRES_DB", "POSTGRES_USER", "REDIS_HOST", "KAFKA_BOOTSTRAP_SERVERS",
					"SHOP_STORAGE_DIR");
		// CinetPay's non-secret settings: the prod profile refuses local or plain-http
		// callback URLs, so the defaults must be public https ones.
		assertThat(data).containsEntry("SHOP_PAYMENT_CINETPAY_API", "v2")
			.containsEntry("SHOP_PAYMENT_CINETPAY_BASE_URL", "https://api-checkout.cinetpay.com")
			.containsEntry("SHOP_PAYMENT_CINETPAY_TRANSFER_BASE_URL", "https://client.cinetpay.com/v1")
			.containsEntry("SHOP_PAYMENT_REFUNDS_PAYOUT_MINIMUM", "200");
		assertThat((String) data.get("SHOP_PAYMENT_CINETPAY_NOTIFY_BASE_URL")).startsWith("https://");
		assertThat((String) data.get("SHOP_PAYMENT_CINETPAY_RETURN_BASE_URL")).startsWith("https://");
		// Yango off by default (the flat fee quotes), its token only from the Secret
		assertThat(data).containsEntry("SHOP_DELIVERY_YANGO_ENABLED", "false")
			.containsEntry("SHOP_DELIVERY_YANGO_FALLBACK", "FLAT_FEE")
			.containsEntry("SHOP_DELIVERY_YANGO_BASE_URL", "https://b2b.taxi.yandex.net");
		assertThat(data).doesNotContainKeys(SECRET_VARIABLES.toArray(String[]::new));
		assertThat(data.values()).allMatch(String.class::isInstance);

		Map<String, Object> container = defaults.container();
		assertThat(list(container, "envFrom")).singleElement()
			.satisfies(from -> assertThat(map(map(from).get("configMapRef")).get("name")).isEqualTo(FULLNAME));
		// Product images live where the app is told to store them.
		assertThat(mountPath(container, "images")).isEqualTo(data.get("SHOP_STORAGE_DIR"));
		assertThat(volume(defaults.podSpec(), "images")).containsKey("emptyDir");
	}

	@Test
	void rollsThePodsWhenTheConfigurationChanges() {
		String before = defaults.podAnnotations().get("checksum/config");
		String same = render(UnaryOperator.identity()).podAnnotations().get("checksum/config");
		String after = render(t -> t.set("env.POSTGRES_HOST", "pg-replica")).podAnnotations().get("checksum/config");

		assertThat(before).matches("[0-9a-f]{64}");
		assertThat(same).isEqualTo(before);
		assertThat(after).isNotEqualTo(before);
	}

	@Test
	void takesTheNotificationCredentialsFromTheSecretAndChecksTheirSettings() {
		Map<String, Map<String, Object>> env = envByName(defaults.container());
		for (String variable : List.of("SPRING_MAIL_USERNAME", "SPRING_MAIL_PASSWORD", "GA4_API_SECRET")) {
			assertThat(secretRef(env, variable)).as(variable)
				.containsEntry("name", DEFAULT_SECRET)
				.containsEntry("key", variable)
				.containsEntry("optional", true);
		}
		Map<String, Object> data = map(defaults.get("ConfigMap", FULLNAME).get("data"));
		assertThat(data).containsEntry("SHOP_NOTIFICATION_EMAIL_ENABLED", "true")
			.containsEntry("SHOP_NOTIFICATION_GA4_ENABLED", "true")
			.doesNotContainKeys("SPRING_MAIL_PASSWORD", "GA4_API_SECRET");

		assertThatThrownBy(() -> render(t -> t.set("env.GA4_API_SECRET", "in-clear")))
			.hasMessageContaining("GA4_API_SECRET");
		assertThatThrownBy(() -> render(t -> t.set("env.GA4_MEASUREMENT_ID", "UA-1234-1")))
			.hasMessageContaining("GA4_MEASUREMENT_ID");
		assertThatThrownBy(() -> render(t -> t.set("env.SPRING_MAIL_HOST", "")))
			.hasMessageContaining("SPRING_MAIL_HOST");
		assertThat(map(render(
				t -> t.set("env.SPRING_MAIL_HOST", "smtp.example.com").set("env.GA4_MEASUREMENT_ID", "G-ABC123XYZ"))
			.get("ConfigMap", FULLNAME)
			.get("data"))).containsEntry("SPRING_MAIL_HOST", "smtp.example.com")
			.containsEntry("GA4_MEASUREMENT_ID", "G-ABC123XYZ");
	}

	@Test
	void referencesTheExistingSecretByNameWithoutCreatingIt() {
		assertThat(defaults.kinds()).doesNotContain("Secret");

		Map<String, Map<String, Object>> env = envByName(defaults.container());
		for (String variable : SECRET_VARIABLES) {
			Map<String, Object> entry = env.get(variable);
			assertThat(entry).as(variable).isNotNull().doesNotContainKey("value");
			Map<String, Object> ref = map(map(entry.get("valueFrom")).get("secretKeyRef"));
			assertThat(ref).as(variable).containsEntry("name", DEFAULT_SECRET).containsEntry("key", variable);
		}
		// The service cannot start without its database password or its admin signing
		// key.
		assertThat(secretRef(env, "POSTGRES_PASSWORD")).containsEntry("optional", false);
		assertThat(secretRef(env, "ADMIN_JWT_SECRET")).containsEntry("optional", false);
		assertThat(secretRef(env, "YANGO_TOKEN")).containsEntry("optional", true);

		Manifests other = render(t -> t.set("existingSecret", "shop-credentials"));
		assertThat(secretRef(envByName(other.container()), "POSTGRES_PASSWORD")).containsEntry("name",
				"shop-credentials");
	}

	@Test
	void annotatesPodsForPrometheusScraping() {
		assertThat(defaults.podAnnotations()).containsEntry("prometheus.io/scrape", "true")
			.containsEntry("prometheus.io/path", "/actuator/prometheus")
			.containsEntry("prometheus.io/port", "8080");
	}

	@Test
	void rendersTheStaffAlertsOnlyWhenEnabled() {
		assertThat(defaults.kinds()).doesNotContain("PrometheusRule");

		Manifests manifests = render(
				t -> t.set("alerts.enabled", true).set("alerts.labels.release", "kube-prometheus-stack"));

		Map<String, Object> rule = manifests.get("PrometheusRule", FULLNAME);
		assertThat(rule.get("apiVersion")).isEqualTo("monitoring.coreos.com/v1");
		assertThat(map(map(rule.get("metadata")).get("labels"))).containsEntry("release", "kube-prometheus-stack");
		Map<String, String> expressions = new java.util.TreeMap<>();
		for (Object group : list(map(rule.get("spec")), "groups")) {
			for (Object alert : list(map(group), "rules")) {
				expressions.put((String) map(alert).get("alert"), String.valueOf(map(alert).get("expr")));
			}
		}
		// the gauges DeliveryMonitor and OutboxMonitor register, as Prometheus names them
		assertThat(expressions).containsOnlyKeys("MonEpiceDeliveryProblem", "MonEpiceCourierBookingWaiting",
				"MonEpiceDeliverySilent", "MonEpiceYangoJournalStalled", "MonEpiceOutboxLagging");
		assertThat(expressions.get("MonEpiceDeliveryProblem")).isEqualTo("max(delivery_problems_open{}) > 0");
		assertThat(expressions.get("MonEpiceCourierBookingWaiting"))
			.isEqualTo("max(delivery_bookings_oldest_seconds{}) > 900");
		assertThat(expressions.get("MonEpiceDeliverySilent"))
			.isEqualTo("max(delivery_tracking_silent_seconds{}) > 3600");
		assertThat(expressions.get("MonEpiceYangoJournalStalled"))
			.isEqualTo("max(delivery_journal_age_seconds{}) > 600");
		assertThat(expressions.get("MonEpiceOutboxLagging")).isEqualTo("max(outbox_lag_seconds{}) > 120");
		// several shops in one Prometheus: narrowed to this one
		Manifests narrowed = render(t -> t.set("alerts.enabled", true).set("alerts.selector", "namespace=\"shop\""));
		assertThat(String.valueOf(narrowed.get("PrometheusRule", FULLNAME)))
			.contains("max(delivery_problems_open{namespace=\"shop\"}) > 0");
		assertThatThrownBy(() -> render(t -> t.set("alerts.enabled", true).set("alerts.severity", "loud")))
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("severity");
	}

	@Test
	void exposesTheHttpPortThroughAClusterIpService() {
		Map<String, Object> spec = map(defaults.get("Service", FULLNAME).get("spec"));

		assertThat(spec.get("type")).isEqualTo("ClusterIP");
		assertThat(list(spec, "ports")).singleElement().satisfies(port -> {
			assertThat(map(port).get("port")).isEqualTo(80);
			assertThat(map(port).get("targetPort")).isEqualTo("http");
		});
		assertThat(map(spec.get("selector"))).isNotEmpty();
		assertThat(defaults.podLabels()).containsAllEntriesOf(map(spec.get("selector")));
		assertThat(defaults.podSpec().get("serviceAccountName")).isEqualTo(FULLNAME);
		assertThat(defaults.get("ServiceAccount", FULLNAME)).isNotNull();
	}

	@Test
	void doesNotRenderAnIngressByDefault() {
		assertThat(defaults.kinds()).doesNotContain("Ingress");
	}

	@Test
	void rendersTheIngressHostWhenEnabled() {
		Manifests manifests = render(t -> t.set("ingress.enabled", true)
			.set("ingress.className", "nginx")
			.set("ingress.hosts[0].host", "shop.monepiceriz.ci")
			.set("ingress.hosts[0].paths[0].path", "/")
			.set("ingress.tls[0].secretName", "shop-tls")
			.set("ingress.tls[0].hosts[0]", "shop.monepiceriz.ci"));

		Map<String, Object> spec = map(manifests.get("Ingress", FULLNAME).get("spec"));
		assertThat(spec.get("ingressClassName")).isEqualTo("nginx");
		Map<String, Object> rule = map(list(spec, "rules").get(0));
		assertThat(rule.get("host")).isEqualTo("shop.monepiceriz.ci");
		Map<String, Object> path = map(list(map(rule.get("http")), "paths").get(0));
		assertThat(path).containsEntry("path", "/").containsEntry("pathType", "Prefix");
		Map<String, Object> service = map(map(path.get("backend")).get("service"));
		assertThat(service.get("name")).isEqualTo(FULLNAME);
		assertThat(map(service.get("port")).get("number")).isEqualTo(80);
		assertThat(map(list(spec, "tls").get(0))).containsEntry("secretName", "shop-tls");
	}

	@Test
	void mountsAPersistentVolumeClaimWhenPersistenceIsEnabled() {
		Manifests manifests = render(t -> t.set("storage.persistence.enabled", true));

		Map<String, Object> pvc = manifests.get("PersistentVolumeClaim", FULLNAME + "-images");
		assertThat(map(map(map(pvc.get("spec")).get("resources")).get("requests"))).containsEntry("storage", "5Gi");
		assertThat(map(volume(manifests.podSpec(), "images").get("persistentVolumeClaim"))).containsEntry("claimName",
				FULLNAME + "-images");
	}

	@Test
	void rejectsANonNumericReplicaCount() {
		assertThatThrownBy(() -> render(t -> t.set("replicaCount", "abc"))).isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("values don't meet the specifications of the schema")
			.hasMessageContaining("replicaCount");
	}

	@Test
	void rejectsMoreMinimumThanMaximumReplicas() {
		assertThatThrownBy(() -> render(t -> t.set("hpa.minReplicas", 5).set("hpa.maxReplicas", 3)))
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("hpa.minReplicas (5) must not be greater than hpa.maxReplicas (3)");
	}

	@Test
	void rejectsMisspelledAndMalformedValues() {
		assertThatThrownBy(() -> render(t -> t.set("hpa.minReplica", 3))).isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("minReplica");
		assertThatThrownBy(() -> render(t -> t.set("image.pullPolicy", "Sometimes")))
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("pullPolicy");
		assertThatThrownBy(() -> render(t -> t.set("resources.limits.memory", "lots")))
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("memory");
		assertThatThrownBy(() -> render(t -> t.set("env.POSTGRES_PORT", "five")))
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("POSTGRES_PORT");
		assertThatThrownBy(() -> render(t -> t.set("env.SHOP_PAYMENT_CINETPAY_API", "v3")))
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("SHOP_PAYMENT_CINETPAY_API");
		assertThatThrownBy(() -> render(t -> t.set("env.SHOP_DELIVERY_YANGO_FALLBACK", "SOMETIMES")))
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("SHOP_DELIVERY_YANGO_FALLBACK");
		assertThatThrownBy(() -> render(t -> t.set("env.YANGO_TOKEN", "y0_secret")))
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("YANGO_TOKEN");
	}

	@Test
	void rejectsAnEnabledIngressWithoutHosts(@TempDir Path dir) throws Exception {
		Path values = Files.writeString(dir.resolve("values.yaml"), "ingress:\n  enabled: true\n  hosts: []\n");

		assertThatThrownBy(() -> render(t -> t.withValuesFile(values))).isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("/ingress/hosts")
			.hasMessageContaining("minItems");
	}

	@Test
	void refusesToRenderWithoutASecretName() {
		assertThatThrownBy(() -> render(t -> t.set("existingSecret", ""))).isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("/existingSecret");
	}

	@Test
	void documentsEveryValue() throws Exception {
		assertThat(undocumentedValues(Files.readAllLines(CHART.resolve("values.yaml")))).isEmpty();
		// the check itself must catch a value without a "# --" comment
		assertThat(undocumentedValues(List.of("# -- documented", "a: 1", "section:", "  b: 2")))
			.containsExactly("4: b");
	}

	// --- helpers
	// -----------------------------------------------------------------------------

	/**
	 * Values (leaf keys or lists) that neither carry a helm-docs style "# --" comment nor
	 * sit inside a block documented as a whole. Section headers need no comment of their
	 * own.
	 */
	private static List<String> undocumentedValues(List<String> lines) {
		Pattern key = Pattern.compile("^( *)([A-Za-z_][A-Za-z0-9_.-]*):(.*)$");
		Deque<int[]> ancestors = new ArrayDeque<>(); // {indent, covered 0/1}
		List<String> undocumented = new ArrayList<>();
		for (int i = 0; i < lines.size(); i++) {
			Matcher m = key.matcher(lines.get(i));
			if (!m.matches()) {
				continue;
			}
			int indent = m.group(1).length();
			while (!ancestors.isEmpty() && ancestors.peek()[0] >= indent) {
				ancestors.pop();
			}
			boolean covered = ancestors.stream().anyMatch(a -> a[1] == 1);
			boolean documented = false;
			for (int j = i - 1; j >= 0 && lines.get(j).strip().startsWith("#"); j--) {
				documented |= lines.get(j).strip().startsWith("# --");
			}
			String next = "";
			for (int j = i + 1; j < lines.size(); j++) {
				if (!lines.get(j).isBlank() && !lines.get(j).strip().startsWith("#")) {
					next = lines.get(j);
					break;
				}
			}
			boolean leaf = !m.group(3).isBlank() || indentOf(next) <= indent || next.strip().startsWith("-");
			if (leaf && !documented && !covered) {
				undocumented.add((i + 1) + ": " + m.group(2));
			}
			ancestors.push(new int[] { indent, documented || covered ? 1 : 0 });
		}
		return undocumented;
	}

	private static int indentOf(String line) {
		return line.length() - line.stripLeading().length();
	}

	private static Manifests render(UnaryOperator<TemplateCommand> customise) {
		String output = customise.apply(new Helm(CHART).template().withName(RELEASE).withNamespace("shop")).call();
		Map<String, Map<String, Object>> byKindAndName = new LinkedHashMap<>();
		for (Object document : new Yaml().loadAll(output)) {
			if (document == null) {
				continue;
			}
			Map<String, Object> resource = map(document);
			String name = (String) map(resource.get("metadata")).get("name");
			byKindAndName.put(resource.get("kind") + "/" + name, resource);
		}
		return new Manifests(byKindAndName);
	}

	private static void assertHttpProbe(Map<String, Object> container, String probe, String path) {
		assertThat(container).as(probe).containsKey(probe);
		Map<String, Object> httpGet = map(map(container.get(probe)).get("httpGet"));
		assertThat(httpGet).as(probe).containsEntry("path", path).containsEntry("port", "http");
	}

	private static Map<String, Map<String, Object>> envByName(Map<String, Object> container) {
		Map<String, Map<String, Object>> env = new LinkedHashMap<>();
		for (Object entry : list(container, "env")) {
			env.put((String) map(entry).get("name"), map(entry));
		}
		return env;
	}

	private static Map<String, String> plainEnv(Map<String, Object> container) {
		Map<String, String> env = new LinkedHashMap<>();
		envByName(container).forEach((name, entry) -> {
			if (entry.containsKey("value")) {
				env.put(name, String.valueOf(entry.get("value")));
			}
		});
		return env;
	}

	private static Map<String, Object> secretRef(Map<String, Map<String, Object>> env, String variable) {
		return map(map(env.get(variable).get("valueFrom")).get("secretKeyRef"));
	}

	private static String mountPath(Map<String, Object> container, String volume) {
		return list(container, "volumeMounts").stream()
			.map(HelmChartTest::map)
			.filter(m -> volume.equals(m.get("name")))
			.map(m -> (String) m.get("mountPath"))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no mount of volume " + volume));
	}

	private static Map<String, Object> volume(Map<String, Object> podSpec, String name) {
		return list(podSpec, "volumes").stream()
			.map(HelmChartTest::map)
			.filter(v -> name.equals(v.get("name")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no volume " + name));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Object value) {
		assertThat(value).isInstanceOf(Map.class);
		return (Map<String, Object>) value;
	}

	@SuppressWarnings("unchecked")
	private static List<Object> list(Map<String, Object> parent, String key) {
		assertThat(parent.get(key)).as(key).isInstanceOf(List.class);
		return (List<Object>) parent.get(key);
	}

	/** Rendered resources, by "Kind/name". */
	private record Manifests(Map<String, Map<String, Object>> resources) {

		List<String> kinds() {
			return resources.values().stream().map(r -> (String) r.get("kind")).toList();
		}

		Map<String, Object> get(String kind, String name) {
			Map<String, Object> resource = resources.get(kind + "/" + name);
			assertThat(resource).as("%s/%s in %s", kind, name, resources.keySet()).isNotNull();
			return resource;
		}

		Map<String, Object> deployment() {
			return get("Deployment", FULLNAME);
		}

		Map<String, Object> podTemplate() {
			return map(map(deployment().get("spec")).get("template"));
		}

		Map<String, Object> podSpec() {
			return map(podTemplate().get("spec"));
		}

		@SuppressWarnings("unchecked")
		Map<String, String> podAnnotations() {
			return (Map<String, String>) (Map<?, ?>) map(map(podTemplate().get("metadata")).get("annotations"));
		}

		Map<String, Object> podLabels() {
			return map(map(podTemplate().get("metadata")).get("labels"));
		}

		Map<String, Object> container() {
			List<Object> containers = list(podSpec(), "containers");
			assertThat(containers).hasSize(1);
			return map(containers.get(0));
		}
	}

}
