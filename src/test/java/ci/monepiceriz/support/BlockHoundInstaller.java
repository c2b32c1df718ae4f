package ci.monepiceriz.support;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

import reactor.blockhound.BlockHound;

/**
 * Installs BlockHound before any test runs (registered as a JUnit launcher session
 * listener): a blocking call on a Reactor or Netty event-loop thread, in application code
 * or in a library it calls, then fails the request, and so the test that made it.
 * <p>
 * Allowed: console logging (a synchronous write that every service makes, bounded and
 * short), class loading's file reads on first use of a class, and Jackson's lock around
 * building the deserializer of a type the first time it is needed (requests that need the
 * same new type at once wait for one another once, then every later use is a cache hit
 * without a lock).
 */
public class BlockHoundInstaller implements LauncherSessionListener {

	private static boolean installed;

	@Override
	public void launcherSessionOpened(LauncherSession session) {
		install();
	}

	static synchronized void install() {
		if (installed) {
			return;
		}
		BlockHound.install(
				builder -> builder.allowBlockingCallsInside("ch.qos.logback.core.OutputStreamAppender", "writeBytes")
					.allowBlockingCallsInside("ch.qos.logback.core.OutputStreamAppender", "subAppend")
					.allowBlockingCallsInside("java.io.PrintStream", "write")
					.allowBlockingCallsInside("java.lang.ClassLoader", "loadClass")
					.allowBlockingCallsInside("java.util.zip.ZipFile", "getEntry")
					.allowBlockingCallsInside("tools.jackson.databind.deser.DeserializerCache",
							"_createAndCacheValueDeserializer"));
		installed = true;
	}

}
