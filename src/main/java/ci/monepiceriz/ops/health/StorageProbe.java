package ci.monepiceriz.ops.health;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.stereotype.Component;

import ci.monepiceriz.shared.health.HealthProbe;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The media storage directory (product images uploaded by staff) exists and takes a
 * write. File I/O blocks, so it runs on the bounded elastic scheduler, never on an event
 * loop.
 */
@Component
class StorageProbe implements HealthProbe {

	private final Path directory;

	StorageProbe(StorageProperties properties) {
		this.directory = Path.of(properties.dir());
	}

	@Override
	public String check() {
		return "storage";
	}

	@Override
	public Mono<ProbeResult> probe() {
		return Mono.fromCallable(this::writeAndDelete).subscribeOn(Schedulers.boundedElastic());
	}

	private ProbeResult writeAndDelete() {
		try {
			Files.createDirectories(directory);
			Path probe = Files.createTempFile(directory, ".health", ".tmp");
			Files.delete(probe);
			return ProbeResult.ok("Storage writable");
		}
		catch (IOException | SecurityException error) {
			return ProbeResult.error("Storage not writable: " + error.getClass().getSimpleName());
		}
	}

	/**
	 * {@code shop.storage.*}.
	 *
	 * @param dir directory holding uploaded product images
	 */
	@ConfigurationProperties("shop.storage")
	record StorageProperties(@DefaultValue("${java.io.tmpdir}/monepiceriz-storage") String dir) {
	}

}
