package io.tidegate.log;

import static org.junit.jupiter.api.Assertions.*;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** UDP syslog from several threads (each sends on its own socket), and nothing once the sink is closed. */
class DatagramSinkTest {

    @Test
    void linesOfSeveralThreadsAllArriveEachThreadFromItsOwnSocket() throws Exception {
        try (DatagramSocket receiver = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            receiver.setSoTimeout(5000);
            receiver.setReceiveBufferSize(1 << 20);
            DatagramSink sink = DatagramSink.udp((InetSocketAddress) receiver.getLocalSocketAddress(),
                    SyslogFraming.Format.RAW, 16, null, null, 1024);
            int threads = 4;
            int perThread = 5;
            CountDownLatch done = new CountDownLatch(threads);
            for (int t = 0; t < threads; t++) {
                int id = t;
                Thread th = new Thread(() -> {
                    for (int i = 0; i < perThread; i++) {
                        LineBytes line = LineBytes.get();
                        line.put("thread ").put(id).put(" line ").put(i);
                        sink.write(line, 6);
                    }
                    done.countDown();
                });
                th.start();
            }
            assertTrue(done.await(10, java.util.concurrent.TimeUnit.SECONDS));
            Set<String> lines = new HashSet<>();
            Set<Integer> sourcePorts = new HashSet<>();
            byte[] b = new byte[2048];
            for (int n = 0; n < threads * perThread; n++) {
                DatagramPacket p = new DatagramPacket(b, b.length);
                receiver.receive(p);
                lines.add(new String(p.getData(), 0, p.getLength(), StandardCharsets.ISO_8859_1));
                sourcePorts.add(p.getPort());
            }
            assertEquals(threads * perThread, lines.size());
            assertTrue(lines.contains("thread 3 line 4\n"), lines.toString());
            assertEquals(threads, sourcePorts.size(), "one socket per sending thread");
            assertEquals(0, sink.dropped());

            sink.close();
            LineBytes line = LineBytes.get();
            line.put("after close");
            sink.write(line, 6);
            assertEquals(1, sink.dropped(), "a line sent after close is dropped, not sent");
        }
    }
}
