package dev.keel.alpaca;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on 127.0.0.1 in front of a real server that can go silent: {@link #silence()} makes the connections
 * open now swallow every byte both ways while staying open, as a network that drops a connection without a word
 * (a NAT or proxy timing out, a cable pulled) looks to both ends. Connections made later pass through.
 */
final class SilentProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final int upstreamPort;
    private final List<Link> links = new CopyOnWriteArrayList<>();

    SilentProxy(int upstreamPort) throws IOException {
        this.upstreamPort = upstreamPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accepting = new Thread(this::accept, "silent-proxy-accept");
        accepting.setDaemon(true);
        accepting.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** The connections open now stop carrying bytes, and stay open. */
    void silence() {
        links.forEach(l -> l.silent = true);
    }

    int connections() {
        return links.size();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket upstream = new Socket();
                upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort));
                Link link = new Link(client, upstream);
                links.add(link);
                pump(link, client, upstream);
                pump(link, upstream, client);
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private static void pump(Link link, Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    if (!link.silent) {
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // one side went away; the other pump ends with it
            } finally {
                link.close();
            }
        }, "silent-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        links.forEach(Link::close);
    }

    private static final class Link {
        final Socket client;
        final Socket upstream;
        volatile boolean silent;

        Link(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void close() {
            try {
                client.close();
                upstream.close();
            } catch (IOException e) {
                // already closed
            }
        }
    }
}
