package ci.monepiceriz.notification.mail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * An SMTP server that misbehaves on cue, for what GreenMail will not do: refuse a
 * recipient, refuse the message at the end of data, or never answer it. Blocking sockets
 * on its own thread: test code only.
 */
final class FakeSmtpServer implements AutoCloseable {

	/** What the server does at one step of the conversation. */
	sealed interface Step permits Reply, Close, Hang {

	}

	/** Answers this line (code and text). */
	record Reply(String line) implements Step {
	}

	/** Drops the connection without a word. */
	record Close() implements Step {
	}

	/** Says nothing, keeps the connection open. */
	record Hang() implements Step {
	}

	static final Step OK = new Reply("250 OK");

	private final ServerSocket server;

	private final Step atRcpt;

	private final Step atData;

	private final Step atEndOfData;

	private volatile boolean messageEnded;

	FakeSmtpServer(Step atRcpt, Step atData, Step atEndOfData) throws IOException {
		this.atRcpt = atRcpt;
		this.atData = atData;
		this.atEndOfData = atEndOfData;
		this.server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
		Thread thread = new Thread(this::serve, "fake-smtp");
		thread.setDaemon(true);
		thread.start();
	}

	int port() {
		return server.getLocalPort();
	}

	/** Whether a client sent a whole message (its end-of-data line). */
	boolean messageEnded() {
		return messageEnded;
	}

	private void serve() {
		while (!server.isClosed()) {
			try (Socket client = server.accept()) {
				converse(client);
			}
			catch (IOException closed) {
				// next connection, or the server closed
			}
		}
	}

	private void converse(Socket client) throws IOException {
		BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
		OutputStream out = client.getOutputStream();
		send(out, "220 fake ESMTP");
		String line;
		while ((line = in.readLine()) != null) {
			String command = line.toUpperCase();
			Step step;
			if (command.startsWith("EHLO") || command.startsWith("HELO")) {
				step = new Reply("250 fake");
			}
			else if (command.startsWith("RCPT")) {
				step = atRcpt;
			}
			else if (command.startsWith("DATA")) {
				step = atData;
				if (step == OK) {
					send(out, "354 go ahead");
					while ((line = in.readLine()) != null && !line.equals(".")) {
						// the message
					}
					messageEnded = line != null;
					step = atEndOfData;
				}
			}
			else if (command.startsWith("QUIT")) {
				send(out, "221 bye");
				return;
			}
			else {
				step = OK;
			}
			if (step instanceof Reply reply) {
				send(out, reply.line());
			}
			else if (step instanceof Close) {
				return;
			}
			else {
				hang(in);
				return;
			}
		}
	}

	private static void hang(BufferedReader in) throws IOException {
		while (in.readLine() != null) {
			// until the client gives up
		}
	}

	private static void send(OutputStream out, String line) throws IOException {
		out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
		out.flush();
	}

	@Override
	public void close() throws IOException {
		server.close();
	}

}
