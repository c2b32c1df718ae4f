package ci.monepiceriz.support;

import java.util.ArrayList;
import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

/**
 * Log events captured from one logger while a test runs. Events arrive on other threads
 * (reactor-netty, WireMock's Jetty) and may still be arriving when the test reads them:
 * {@link #events()} copies the list under the appender's own lock, which
 * {@code AppenderBase.doAppend} holds while it appends, so reading never races an append.
 */
public final class CapturedLogs implements AutoCloseable {

	private final Logger logger;

	private final Level level;

	private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

	private CapturedLogs(Logger logger, Level level) {
		this.logger = logger;
		this.level = logger.getLevel();
		this.appender.start();
		logger.addAppender(this.appender);
		if (level != null) {
			logger.setLevel(level);
		}
	}

	/** Everything the root logger sees at DEBUG and above. */
	public static CapturedLogs root() {
		return new CapturedLogs((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME), Level.DEBUG);
	}

	/** What one named logger sees at its configured level. */
	public static CapturedLogs of(String name) {
		return new CapturedLogs((Logger) LoggerFactory.getLogger(name), null);
	}

	/** A snapshot of the events captured so far. */
	public List<ILoggingEvent> events() {
		synchronized (this.appender) {
			return new ArrayList<>(this.appender.list);
		}
	}

	/** The snapshot without WireMock's and Jetty's own lines. */
	public List<ILoggingEvent> withoutWireMock() {
		return events().stream()
			.filter(event -> !event.getLoggerName().contains("WireMock") && !event.getLoggerName().contains("jetty")
					&& !event.getLoggerName().contains("wiremock"))
			.toList();
	}

	@Override
	public void close() {
		this.logger.detachAppender(this.appender);
		this.logger.setLevel(this.level);
	}

}
