package ci.monepiceriz.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy to a real service that a test can cut and restore, to show what the
 * application does when a dependency dies while it runs (connections reset, new ones
 * refused) and when it comes back. Blocking sockets on its own threads: test code only.
 */
public final class TcpProxy implements AutoCloseable {

	private final String targetHost;

	private final int targetPort;

	private final int port;

	private final List<Socket> sockets = new CopyOnWriteArrayList<>();

	private volatile ServerSocket server;

	public TcpProxy(String targetHost, int targetPort) {
		this.targetHost = targetHost;
		this.targetPort = targetPort;
		try (ServerSocket probe = new ServerSocket(0)) {
			this.port = probe.getLocalPort();
		}
		catch (IOException error) {
			throw new IllegalStateException(error);
		}
		start();
	}

	public int port() {
		return port;
	}

	/** Accepts connections again on the same port. */
	public synchronized void start() {
		try {
			ServerSocket listening = new ServerSocket();
			listening.setReuseAddress(true);
			listening.bind(new InetSocketAddress("127.0.0.1", port));
			server = listening;
			Thread acceptor = new Thread(() -> accept(listening), "tcp-proxy-accept-" + port);
			acceptor.setDaemon(true);
			acceptor.start();
		}
		catch (IOException error) {
			throw new IllegalStateException("Cannot listen on " + port, error);
		}
	}

	/** Resets every open connection and refuses new ones, as a dead server would. */
	public synchronized void cut() {
		try {
			server.close();
		}
		catch (IOException ignored) {
			// closing anyway
		}
		for (Socket socket : sockets) {
			try {
				socket.setSoLinger(true, 0);
				socket.close();
			}
			catch (IOException ignored) {
				// already gone
			}
		}
		sockets.clear();
	}

	@Override
	public void close() {
		cut();
	}

	private void accept(ServerSocket listening) {
		while (!listening.isClosed()) {
			try {
				Socket client = listening.accept();
				Socket upstream = new Socket(targetHost, targetPort);
				sockets.add(client);
				sockets.add(upstream);
				pump(client, upstream);
				pump(upstream, client);
			}
			catch (IOException closed) {
				return;
			}
		}
	}

	private void pump(Socket from, Socket to) {
		Thread thread = new Thread(() -> {
			byte[] buffer = new byte[16 * 1024];
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				int read;
				while ((read = in.read(buffer)) >= 0) {
					out.write(buffer, 0, read);
					out.flush();
				}
			}
			catch (IOException closed) {
				// one side went away: close the other
			}
			finally {
				try {
					to.close();
				}
				catch (IOException ignored) {
					// already closed
				}
			}
		}, "tcp-proxy-pump-" + port);
		thread.setDaemon(true);
		thread.start();
	}

}
