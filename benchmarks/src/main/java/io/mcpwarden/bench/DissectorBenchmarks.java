package io.mcpwarden.bench;

import io.mcpwarden.dissect.dns.DnsDissector;
import io.mcpwarden.dissect.dns.DnsParse;
import io.mcpwarden.dissect.http.HttpListener;
import io.mcpwarden.dissect.http.HttpStreamParser;
import io.mcpwarden.dissect.http.Side;
import io.mcpwarden.dissect.tls.TlsDirectionDissector;
import io.mcpwarden.dissect.tls.TlsResult;
import io.mcpwarden.mcp.JsonRpcReader;
import io.mcpwarden.mcp.RpcParse;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** Per-dissector hot paths: one message parsed per operation. Inputs are real corpus messages. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DissectorBenchmarks {
    byte[] dnsAnswer;
    byte[] clientHello;

    @Setup
    public void setup() throws IOException {
        dnsAnswer = Samples.firstPayload("P1.pcap", b -> b.length > 12 && (b[2] & 0x80) != 0
                && DnsDissector.looksLikeDns(b, 0, b.length));
        clientHello = Samples.firstPayload("P3.pcap", b -> TlsDirectionDissector.looksLikeClientHello(b, 0, b.length));
    }

    @Benchmark
    public DnsParse dnsAnswer() {
        return DnsDissector.parse(dnsAnswer, 0, dnsAnswer.length);
    }

    @Benchmark
    public TlsResult tlsClientHelloWithJa4() {
        return new TlsDirectionDissector().feed(clientHello, 0, clientHello.length);
    }

    @Benchmark
    public RpcParse jsonRpcInitialize() {
        return JsonRpcReader.read(Samples.INITIALIZE, 0, Samples.INITIALIZE.length);
    }

    @Benchmark
    public void httpPostAndSseReply(Blackhole bh) {
        HttpListener l = new HttpListener() {
            @Override
            public void onSseEvent(io.mcpwarden.dissect.http.SseEvent e) {
                bh.consume(e);
            }

            @Override
            public void onMessageEnd(io.mcpwarden.dissect.http.HttpMessageEnd end) {
                bh.consume(end);
            }
        };
        HttpStreamParser req = new HttpStreamParser(Side.REQUEST, l, 1 << 16);
        HttpStreamParser resp = new HttpStreamParser(Side.RESPONSE, l, 1 << 16);
        req.feed(Samples.HTTP_EXCHANGE_REQUEST, 0, Samples.HTTP_EXCHANGE_REQUEST.length);
        resp.expectResponseTo("POST");
        resp.feed(Samples.HTTP_EXCHANGE_RESPONSE, 0, Samples.HTTP_EXCHANGE_RESPONSE.length);
    }
}
