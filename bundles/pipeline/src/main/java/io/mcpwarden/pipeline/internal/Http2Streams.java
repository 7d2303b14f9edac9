package io.mcpwarden.pipeline.internal;

import io.mcpwarden.dissect.http.HttpHeader;
import io.mcpwarden.dissect.http.HttpListener;
import io.mcpwarden.dissect.http.HttpRequestHead;
import io.mcpwarden.dissect.http.HttpResponseHead;
import io.mcpwarden.dissect.http.SseEvent;
import io.mcpwarden.dissect.http.SseParser;
import io.mcpwarden.dissect.http2.Http2Listener;
import io.mcpwarden.flow.Flow;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the streams of one HTTP/2 connection into HTTP exchanges: request headers ({@code :method},
 * {@code :path}, {@code :authority} as the Host), bodies for JSON-RPC, event-stream responses for SSE, one
 * http event per stream (protocol {@code HTTP/2}) when its response ends, is reset, or the connection ends.
 * Bounded: at most {@link #MAX_STREAMS} open streams, bodies kept up to the HTTP body cap.
 */
final class Http2Streams implements Http2Listener {
    static final int MAX_STREAMS = 1024;
    static final String PROTOCOL = "HTTP/2";
    static final String TOO_MANY_STREAMS = "http2.too_many_streams";

    private final Dissection d;
    private final Flow flow;
    private final TcpState st;
    private final boolean decrypted;
    private final int cap;
    private final Map<Integer, Stream> streams = new HashMap<>();

    /** One stream's exchange and bodies. */
    private final class Stream {
        HttpExchange x;
        byte[] request = new byte[0];
        int requestLen;
        long requestBytes;
        boolean requestDone;
        byte[] response = new byte[0];
        int responseLen;
        long responseBytes;
        SseParser sse;
        boolean responseDone;

        void keep(boolean fromClient, byte[] b, int off, int len) {
            if (fromClient) {
                requestBytes += len;
                request = append(request, requestLen, b, off, len);
                requestLen = Math.min(cap, requestLen + len);
            } else {
                responseBytes += len;
                response = append(response, responseLen, b, off, len);
                responseLen = Math.min(cap, responseLen + len);
            }
        }

        private byte[] append(byte[] buf, int have, byte[] b, int off, int len) {
            int n = Math.min(len, cap - have);
            if (n <= 0) {
                return buf;
            }
            if (buf.length < have + n) {
                buf = java.util.Arrays.copyOf(buf, Math.min(cap, Math.max(have + n, buf.length * 2 + 256)));
            }
            System.arraycopy(b, off, buf, have, n);
            return buf;
        }
    }

    Http2Streams(Dissection d, Flow flow, TcpState st, boolean decrypted, int cap) {
        this.d = d;
        this.flow = flow;
        this.st = st;
        this.decrypted = decrypted;
        this.cap = cap;
    }

    @Override
    public void onHeaders(int streamId, boolean fromClient, List<HttpHeader> headers, boolean endStream) {
        Stream s = streams.get(streamId);
        if (fromClient) {
            if (s != null) {
                if (endStream) {
                    requestDone(s); // trailers
                }
                return;
            }
            if (streams.size() >= MAX_STREAMS) {
                d.anomaly(TOO_MANY_STREAMS);
                return;
            }
            s = new Stream();
            streams.put(streamId, s);
            s.x = d.requestHead(flow, st, requestHead(headers), decrypted);
            if (endStream) {
                requestDone(s);
            }
            return;
        }
        if (s == null || s.responseDone) {
            return;
        }
        if (s.x.response == null) {
            int status = status(headers);
            if (status >= 100 && status < 200) {
                return;
            }
            d.responseHead(s.x, new HttpResponseHead(status, "", PROTOCOL, regular(headers, null)));
            if (s.x.eventStream) {
                Stream stream = s;
                s.sse = new SseParser(new HttpListener() {
                    @Override
                    public void onSseEvent(SseEvent e) {
                        d.sseEvent(stream.x, e);
                    }
                });
            }
        }
        if (endStream) {
            responseDone(streamId, s);
        }
    }

    @Override
    public void onData(int streamId, boolean fromClient, byte[] buf, int off, int len, boolean endStream) {
        Stream s = streams.get(streamId);
        if (s == null) {
            return;
        }
        if (fromClient) {
            if (!s.requestDone) {
                s.keep(true, buf, off, len);
                if (endStream) {
                    requestDone(s);
                }
            }
            return;
        }
        if (s.responseDone || s.x.response == null) {
            return;
        }
        if (s.sse != null) {
            s.responseBytes += len;
            s.sse.feed(buf, off, len);
        } else {
            s.keep(false, buf, off, len);
        }
        if (endStream) {
            responseDone(streamId, s);
        }
    }

    @Override
    public void onReset(int streamId) {
        Stream s = streams.remove(streamId);
        if (s != null && !s.responseDone) {
            s.responseDone = true;
            d.emitHttp(s.x, s.responseBytes);
        }
    }

    @Override
    public void onAnomaly(String name) {
        d.anomaly(name);
    }

    /** The connection ended: streams without a complete response are reported as they are. */
    void end() {
        for (Stream s : new ArrayList<>(streams.values())) {
            if (!s.requestDone) {
                requestDone(s);
            }
            if (!s.responseDone) {
                s.responseDone = true;
                d.emitHttp(s.x, s.responseBytes);
            }
        }
        streams.clear();
    }

    private void requestDone(Stream s) {
        if (s.requestDone) {
            return;
        }
        s.requestDone = true;
        if (s.requestLen > 0) {
            d.requestBody(st, s.x, s.request, s.requestLen);
        }
        s.request = new byte[0];
    }

    private void responseDone(int streamId, Stream s) {
        s.responseDone = true;
        streams.remove(streamId);
        d.responseEnd(s.x, s.response, s.responseLen, s.responseBytes);
        s.response = new byte[0];
    }

    /** RFC 9113 §8.3.1: :method, :path; :authority stands for Host (§8.3.1) when no host field is sent. */
    private static HttpRequestHead requestHead(List<HttpHeader> headers) {
        String method = "";
        String path = "";
        String authority = null;
        for (HttpHeader h : headers) {
            switch (h.name()) {
                case ":method" -> method = h.value();
                case ":path" -> path = h.value();
                case ":authority" -> authority = h.value();
                default -> {
                }
            }
        }
        return new HttpRequestHead(method, path, PROTOCOL, regular(headers, authority));
    }

    /** Header fields without the pseudo-headers; a host field from :authority first when there is none. */
    private static List<HttpHeader> regular(List<HttpHeader> headers, String authority) {
        List<HttpHeader> l = new ArrayList<>(headers.size() + 1);
        boolean host = false;
        for (HttpHeader h : headers) {
            if (!h.name().startsWith(":")) {
                l.add(h);
                host |= h.name().equalsIgnoreCase("host");
            }
        }
        if (!host && authority != null) {
            l.add(0, new HttpHeader("host", authority));
        }
        return l;
    }

    private static int status(List<HttpHeader> headers) {
        for (HttpHeader h : headers) {
            if (h.name().equals(":status")) {
                try {
                    return Integer.parseInt(h.value().trim());
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }
}
