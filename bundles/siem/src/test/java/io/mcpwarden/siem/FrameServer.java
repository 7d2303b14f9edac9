package io.mcpwarden.siem;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A syslog receiver on 127.0.0.1 that keeps every octet-counted frame (RFC 6587 §3.4.1) it is sent. */
final class FrameServer implements AutoCloseable {
    private static final Pattern ID = Pattern.compile("r-(\\d+)-x");

    private final ServerSocket server;
    private final List<String> frames = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    FrameServer() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::acceptLoop, "frame-server-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    String url() {
        return "tcp://127.0.0.1:" + port();
    }

    List<String> frames() {
        return new ArrayList<>(frames);
    }

    int count() {
        return frames.size();
    }

    /** The event numbers ({@code r-<n>-x} in the rule name) of every frame received. */
    Set<Integer> ids() {
        Set<Integer> s = new TreeSet<>();
        for (String f : frames) {
            Matcher m = ID.matcher(f);
            if (m.find()) {
                s.add(Integer.parseInt(m.group(1)));
            }
        }
        return s;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                sockets.add(s);
                Thread t = new Thread(() -> readLoop(s), "frame-reader-" + port());
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void readLoop(Socket s) {
        try (InputStream in = new BufferedInputStream(s.getInputStream())) {
            while (true) {
                int len = 0;
                int c;
                int digits = 0;
                while ((c = in.read()) != ' ') {
                    if (c < 0) {
                        return;
                    }
                    if (c < '0' || c > '9' || ++digits > 9) {
                        throw new IOException("not an octet-counted frame: byte " + c);
                    }
                    len = len * 10 + (c - '0');
                }
                byte[] b = in.readNBytes(len);
                if (b.length < len) {
                    throw new EOFException("frame cut short");
                }
                frames.add(new String(b, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            frames.add("ERROR " + e.getMessage());
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
