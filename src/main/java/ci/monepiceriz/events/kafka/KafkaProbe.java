package ci.monepiceriz.events.kafka;

import java.util.Map;

import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import ci.monepiceriz.shared.health.HealthProbe;
import reactor.core.publisher.Mono;

/** Part of the {@code services} check: the Kafka cluster answers and has brokers. */
@Component
class KafkaProbe implements HealthProbe, DisposableBean {

	private final AdminClient admin;

	private final KafkaProperties properties;

	KafkaProbe(KafkaProperties properties) {
		this.properties = properties;
		int timeout = (int) properties.requestTimeout().toMillis();
		this.admin = AdminClient.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
				properties.bootstrapServers(), AdminClientConfig.CLIENT_ID_CONFIG, properties.clientId() + "-health",
				AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
				timeout));
	}

	@Override
	public String check() {
		return "services";
	}

	@Override
	public Mono<ProbeResult> probe() {
		DescribeClusterOptions options = new DescribeClusterOptions()
			.timeoutMs((int) properties.requestTimeout().toMillis());
		return Mono.fromFuture(() -> admin.describeCluster(options).nodes().toCompletionStage().toCompletableFuture())
			.map(nodes -> nodes.isEmpty() ? ProbeResult.error("Kafka: no broker available")
					: ProbeResult.ok("Kafka: " + nodes.size() + " broker(s)"))
			.onErrorResume(
					error -> Mono.just(ProbeResult.error("Kafka unreachable: " + error.getClass().getSimpleName())));
	}

	@Override
	public void destroy() {
		admin.close();
	}

}
